/**
 * The Connect UI's stylesheet, inlined under the response's CSP nonce: a card over a dim backdrop
 * (inside today's full-screen iframe the app shows through), system fonts, visible focus, and
 * colours that keep WCAG AA contrast in light and dark mode.
 */
export const CONNECT_UI_STYLES = `
:root{color-scheme:light dark;--fg:#1b1f24;--bg:#fff;--muted:#57606a;--line:#d0d7de;--accent:#0a5bd3;--bad:#b3261e;--ok:#1a7f37;--backdrop:rgba(15,20,25,.55)}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#9da7b3;--line:#30363d;--accent:#6cb6ff;--bad:#ff7b72;--ok:#56d364}}
*{box-sizing:border-box}
html,body{margin:0;min-height:100%}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--backdrop);display:flex;justify-content:center;align-items:flex-start;padding:5vh 1rem}
.card{background:var(--bg);width:100%;max-width:28rem;border-radius:12px;padding:1.25rem 1.5rem 1.5rem;box-shadow:0 12px 40px rgba(0,0,0,.3)}
header{display:flex;justify-content:space-between;align-items:center;gap:1rem;border-bottom:1px solid var(--line);padding-bottom:.75rem;margin-bottom:1rem}
h1{font-size:1.2rem;margin:0}h2{font-size:1.05rem;margin:0 0 .75rem}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
h2:focus{outline:none}h2:focus-visible{outline:3px solid var(--accent)}
ul.choices{list-style:none;margin:0;padding:0;display:grid;gap:.5rem}
ul.choices button{width:100%;text-align:left;background:transparent;color:var(--fg);border:1px solid var(--line)}
ul.choices button:hover{border-color:var(--accent)}
button{font:inherit;padding:.5rem .9rem;border-radius:6px;border:1px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer}
@media (prefers-color-scheme:dark){button{color:#0d1117}}
button.secondary{background:transparent;color:var(--accent)}
button:disabled{opacity:.6;cursor:progress}
form{display:grid;gap:.9rem}
.field{display:grid;gap:.25rem}label{font-weight:600}
input{font:inherit;padding:.45rem .55rem;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg)}
input[aria-invalid=true]{border-color:var(--bad)}
.hint{color:var(--muted);font-size:.9rem;margin:0}
.field-error{color:var(--bad);font-size:.9rem;margin:0}
.actions{display:flex;gap:.5rem;flex-wrap:wrap}
.notice{color:var(--bad);margin:0 0 .75rem}.notice:empty{margin:0}
.status{color:var(--muted);margin:0}
`;
