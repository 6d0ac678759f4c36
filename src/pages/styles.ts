/**
 * The pages' one stylesheet, served from the worker itself (no third party): system fonts,
 * visible focus, enough contrast for WCAG AA.
 */
export const STYLESHEET = `
:root{color-scheme:light dark;--fg:#1b1f24;--bg:#fff;--muted:#57606a;--line:#d0d7de;--accent:#0a5bd3;--bad:#b3261e;--ok:#1a7f37;--warn:#8a5a00}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#9da7b3;--line:#30363d;--accent:#6cb6ff;--bad:#ff7b72;--ok:#56d364;--warn:#e3b341}}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent)}:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.skip{position:absolute;left:-9999px}.skip:focus{left:1rem;top:1rem;background:var(--bg);padding:.5rem}
header{display:flex;gap:1.5rem;align-items:center;padding:.75rem 1.5rem;border-bottom:1px solid var(--line)}
header nav ul{display:flex;gap:1rem;list-style:none;margin:0;padding:0}header .brand{font-weight:700}
header form{margin-left:auto}main{padding:1.5rem;max-width:72rem}
h1{font-size:1.5rem;margin:.25rem 0 1rem}h2{font-size:1.15rem}
table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;color:var(--muted)}
form.stack{display:grid;gap:.75rem;max-width:36rem}label{display:grid;gap:.25rem;font-weight:600}
input,select,textarea{font:inherit;padding:.45rem .55rem;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg)}
button{font:inherit;padding:.45rem .9rem;border-radius:6px;border:1px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer}
button.secondary{background:transparent;color:var(--accent)}button.danger{border-color:var(--bad);background:var(--bad)}
.inline{display:inline}.row{display:flex;gap:.5rem;align-items:end;flex-wrap:wrap}
.hint{font-weight:400;color:var(--muted);font-size:.9rem}
.notice{padding:.6rem .8rem;border-radius:6px;border:1px solid var(--line);margin:0 0 1rem}
.notice.error{border-color:var(--bad);color:var(--bad)}.notice.ok{border-color:var(--ok)}
.status{font-weight:600}.status-fresh{color:var(--ok)}.status-expiring{color:var(--warn)}
.status-needs_reauth,.status-refresh_error,.status-exhausted{color:var(--bad)}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9em}
`;
