/**
 * The page the popup ends on (docs/flows.md#popup-message): it posts the legacy `{eventType, data}` message to
 * `window.opener` and closes itself after ~300 ms.
 *
 * `targetOrigin` is "*", as the early server did: the app that opened the popup may live on any
 * origin and we cannot know which. That is safe because the message carries nothing secret —
 * the config key and connection id the page itself chose, or an error — never a token.
 *
 * Values are JSON-encoded into the script with `<`, `>`, `&`, U+2028 and U+2029 escaped, so no
 * connection id or provider error text can end the script or inject markup; a nonce-based CSP
 * refuses any script but ours.
 */
import { describeFailure } from "./failure";
import { type FlowOutcome, popupMessage } from "./result-message";

/** How long the page stays open after posting, so the opener receives the message first. */
const CLOSE_DELAY_MS = 300;

export function resultPage(outcome: FlowOutcome): Response {
	const message = popupMessage(outcome);
	const described = outcome.ok ? undefined : describeFailure(outcome.failure);
	const title = outcome.ok ? "Authorization succeeded" : "Authorization failed";
	const detail = described ? described.error.message : "You can close this window.";
	const nonce = randomNonce();
	const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style nonce="${nonce}">body{font:16px/1.5 system-ui,sans-serif;margin:3rem auto;max-width:32rem;padding:0 1rem;color:#222}</style>
</head>
<body>
<h1>${title}</h1>
<p>${escapeHtml(detail)}</p>
<script nonce="${nonce}">
"use strict";
const message = ${scriptJson(message)};
if (window.opener) {
	try { window.opener.postMessage(message, "*"); } catch (error) { /* opener gone */ }
}
setTimeout(() => window.close(), ${CLOSE_DELAY_MS});
</script>
</body>
</html>
`;
	return new Response(html, {
		status: described?.status ?? 200,
		headers: {
			"Content-Type": "text/html; charset=utf-8",
			"Content-Security-Policy": `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
			"Cache-Control": "no-store",
			// The callback URL held the authorization code: never send it on as a referrer.
			"Referrer-Policy": "no-referrer",
			"X-Content-Type-Options": "nosniff",
		},
	});
}

/** JSON that is also safe inside `<script>` (and in JS before ES2019, for U+2028/9). */
export function scriptJson(value: unknown): string {
	return JSON.stringify(value)
		.replaceAll("<", "\\u003c")
		.replaceAll(">", "\\u003e")
		.replaceAll("&", "\\u0026")
		.replaceAll("\u2028", "\\u2028")
		.replaceAll("\u2029", "\\u2029");
}

function escapeHtml(text: string): string {
	return text
		.replaceAll("&", "&amp;")
		.replaceAll("<", "&lt;")
		.replaceAll(">", "&gt;")
		.replaceAll('"', "&quot;")
		.replaceAll("'", "&#39;");
}

function randomNonce(): string {
	return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}
