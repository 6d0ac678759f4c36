/**
 * `GET /connect/` (docs/connect-ui.md): the Connect UI, the page behind a session's
 * `connect_link` and inside today's `openConnectUI` iframe. `/connect` redirects to it (the
 * query kept), as today's client adds the slash itself.
 *
 * Headers: a per-response nonce is the only way a script or style runs (no 'unsafe-inline');
 * the page may call only its own origin; any site may frame it, because the session token it
 * needs is the only authority and the site that frames it is the one holding that token;
 * no referrer (the token may be in the URL) and no caching.
 */
import type { Context } from "hono";
import { raw } from "hono/html";
import type { AppEnv } from "../../env";
import { ConnectPage } from "./page";

export function connectUiPage(c: Context<AppEnv>) {
	const nonce = randomNonce();
	c.header(
		"Content-Security-Policy",
		`default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors *`,
	);
	c.header("Referrer-Policy", "no-referrer");
	c.header("Cache-Control", "no-store");
	c.header("X-Content-Type-Options", "nosniff");
	return c.html(
		<>
			{raw("<!doctype html>")}
			<ConnectPage nonce={nonce} />
		</>,
	);
}

/** `/connect` → `/connect/`, keeping `session_token` and whatever else the query holds. */
export function connectUiRedirect(c: Context<AppEnv>) {
	const url = new URL(c.req.url);
	return c.redirect(`/connect/${url.search}`, 302);
}

function randomNonce(): string {
	return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}
