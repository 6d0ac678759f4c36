// The Connect UI page (docs/connect-ui.md) as the worker serves it: reachable without the secret
// key at `/connect/` (and `/connect` redirecting there with its query), headers that let only
// this response's own script and style run and keep the token out of referrers and caches, a
// page that holds no session data, and the session routes beside it unchanged.
import { describe, expect, it } from "vitest";
import { call } from "./support/api";

const TOKEN = `nango_connect_session_${"ab".repeat(32)}`;

describe("GET /connect/", () => {
	it("serves the page anonymously with a per-response nonce CSP, no referrer and no caching", async () => {
		const first = await call("GET", `/connect/?session_token=${TOKEN}`, { anonymous: true });
		expect(first.status).toBe(200);
		expect(first.headers.get("content-type")).toMatch(/^text\/html/);
		const csp = first.headers.get("content-security-policy") ?? "";
		const nonce = /script-src 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
		expect(nonce).toBeTruthy();
		expect(csp).toContain("default-src 'none'");
		expect(csp).toContain(`style-src 'nonce-${nonce}'`);
		expect(csp).toContain("connect-src 'self'");
		expect(csp).toContain("frame-ancestors *");
		expect(csp).not.toContain("unsafe-inline");
		expect(first.headers.get("referrer-policy")).toBe("no-referrer");
		expect(first.headers.get("cache-control")).toBe("no-store");
		expect(first.headers.get("x-frame-options")).toBeNull();

		// every script and style on the page carries this response's nonce, and nothing else runs
		const scripts = [...first.text.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
		const styles = [...first.text.matchAll(/<style([^>]*)>/g)].map((m) => m[1]);
		expect(scripts).toEqual([` nonce="${nonce}"`]);
		expect(styles).toEqual([` nonce="${nonce}"`]);
		expect(first.text).not.toMatch(/\son[a-z]+=/i);
		expect(first.text.startsWith('<!doctype html><html lang="en">')).toBe(true);
		// the token stays in the URL: the server never writes it into the page
		expect(first.text).not.toContain(TOKEN);

		const second = await call("GET", "/connect/", { anonymous: true });
		const secondNonce = /'nonce-([^']+)'/.exec(second.headers.get("content-security-policy") ?? "")?.[1];
		expect(secondNonce).toBeTruthy();
		expect(secondNonce).not.toBe(nonce);
	});

	it("redirects /connect to /connect/ keeping the query (today's client adds the slash itself)", async () => {
		const response = await call("GET", `/connect?session_token=${TOKEN}&apiURL=x`, { anonymous: true });
		expect(response.status).toBe(302);
		expect(response.headers.get("location")).toBe(`/connect/?session_token=${TOKEN}&apiURL=x`);
	});

	it("leaves the session routes as they were: guarded, with today's error shape", async () => {
		const sessions = await call("POST", "/connect/sessions", { anonymous: true, body: {} });
		expect(sessions.status).toBe(401);
		const session = await call("GET", "/connect/session", { anonymous: true });
		expect(session.status).toBe(401);
		expect(session.json.error.code).toBe("missing_connect_session_token");
		const unknown = await call("GET", "/connect/nothing-here", { anonymous: true });
		expect(unknown.status).toBe(404);
		expect(unknown.json.error.code).toBe("not_found");
	});
});
