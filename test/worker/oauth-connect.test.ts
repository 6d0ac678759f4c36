// The start of the flow (docs/flows.md#connect): the authorization request with PKCE S256, the
// sealed session behind the state, connection-config placeholders, the callback URL, and the
// optional public key and HMAC guards.

import { env } from "cloudflare:workers";
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { pkceChallenge } from "../../src/auth-modes/oauth2/pkce";
import { unique } from "./support/api";
import {
	CALLBACK,
	connect,
	createConfig,
	createCustomConfig,
	expectPage,
	get,
	postedMessage,
	sessionOf,
} from "./support/oauth-flow";

// Nango's placeholder syntax (docs/flows.md#connection-config-and-placeholders), not JS templates.
const SUBDOMAIN = "${connectionConfig.subdomain}";
const EARLY_SUBDOMAIN = "${connectionConfig.params.subdomain}";
const SUBDOMAIN_FIELD = { subdomain: { description: "Subdomain", pattern: "^[a-z0-9-]+$" } };

async function sessionRows(): Promise<number> {
	const row = await env.DB.prepare("SELECT count(*) AS n FROM oauth_sessions").first<{ n: number }>();
	return row?.n ?? 0;
}

describe("GET /oauth/connect", () => {
	it("redirects to the provider with the authorization request and a PKCE S256 challenge", async () => {
		const key = unique("custom");
		await createCustomConfig(key, { authorization_params: { audience: "api" }, oauth_scopes: "read,write" });
		const response = await get(`/oauth/connect/${key}?connection_id=user-1`);
		expect(response.status).toBe(302);
		expect(response.headers.get("cache-control")).toBe("no-store");
		const location = new URL(response.headers.get("location") ?? "");
		expect(location.origin + location.pathname).toBe("https://id.example.com/authorize");
		const params = Object.fromEntries(location.searchParams);
		expect(params).toEqual({
			response_type: "code",
			audience: "api",
			client_id: "client-id",
			redirect_uri: CALLBACK,
			scope: "read write",
			state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
			code_challenge: expect.any(String),
			code_challenge_method: "S256",
		});

		const stored = await env.DB.prepare("SELECT * FROM oauth_sessions WHERE id = ?")
			.bind(params.state)
			.first<Record<string, unknown>>();
		const session = await sessionOf(params.state ?? "");
		expect(session).toMatchObject({ providerConfigKey: key, connectionId: "user-1", authMode: "OAUTH2" });
		expect(session.expiresAt - Date.now()).toBeGreaterThan(9 * 60 * 1000);
		expect(session.expiresAt - Date.now()).toBeLessThanOrEqual(10 * 60 * 1000);
		// The challenge is S256 of the verifier that only the sealed session holds.
		expect(params.code_challenge).toBe(await pkceChallenge(session.codeVerifier ?? ""));
		expect(String(stored?.payload)).not.toContain(session.codeVerifier);
	});

	it("gives every flow its own state and verifier", async () => {
		const key = unique("custom");
		await createCustomConfig(key);
		const [a, b] = await Promise.all([
			connect(`/oauth/connect/${key}?connection_id=same`),
			connect(`/oauth/connect/${key}?connection_id=same`),
		]);
		expect(a.searchParams.get("state")).not.toBe(b.searchParams.get("state"));
		expect(a.searchParams.get("code_challenge")).not.toBe(b.searchParams.get("code_challenge"));
	});

	it("sends no PKCE parameters where the template disables them (LinkedIn)", async () => {
		const key = unique("linkedin");
		await createConfig(key, { provider: "linkedin" });
		const location = await connect(`/oauth/connect/${key}?connection_id=u`);
		expect(location.origin).toBe("https://www.linkedin.com");
		expect(location.searchParams.has("code_challenge")).toBe(false);
		expect(location.searchParams.has("code_challenge_method")).toBe(false);
		expect((await sessionOf(location.searchParams.get("state") ?? "")).codeVerifier).toBeUndefined();
	});

	it("fills placeholders from params[...], raw as the published clients send them or encoded", async () => {
		const key = unique("sub");
		await createCustomConfig(key, {
			authorization_url: `https://${SUBDOMAIN}.example.com/authorize`,
			// the early spelling
			token_url: `https://${EARLY_SUBDOMAIN}.example.com/token`,
			connection_config: SUBDOMAIN_FIELD,
		});
		const raw = await connect(
			`/oauth/connect/${key}?connection_id=u&params[subdomain]=acme&params[team][id]=7`,
		);
		expect(raw.host).toBe("acme.example.com");
		const session = await sessionOf(raw.searchParams.get("state") ?? "");
		expect(session.connectionConfig).toEqual({ subdomain: "acme", team: { id: "7" } });

		const encoded = await connect(`/oauth/connect/${key}?connection_id=u&params%5Bsubdomain%5D=beta`);
		expect(encoded.host).toBe("beta.example.com");
	});

	it("answers url_param_err for a missing placeholder value or one its pattern refuses", async () => {
		const key = unique("sub");
		await createCustomConfig(key, {
			authorization_url: `https://${SUBDOMAIN}.example.com/authorize`,
			token_url: `https://${SUBDOMAIN}.example.com/token`,
			connection_config: SUBDOMAIN_FIELD,
		});
		const before = await sessionRows();
		const missing = await get(`/oauth/connect/${key}?connection_id=u`);
		expectPage(missing, 400);
		const message = postedMessage(await missing.text());
		expect(message.eventType).toBe("AUTHORIZATION_FAILED");
		expect(message.data.error).toEqual({
			type: "url_param_err",
			message: expect.stringContaining("subdomain"),
		});

		// Salesforce's hostname has a default and a pattern: a value that leaves the host is refused.
		const sf = unique("salesforce");
		await createConfig(sf, { provider: "salesforce" });
		const evil = await get(
			`/oauth/connect/${sf}?connection_id=u&params[hostname]=${encodeURIComponent("evil.example#")}`,
		);
		expectPage(evil, 400);
		expect(postedMessage(await evil.text()).data.error?.type).toBe("url_param_err");

		// OAuth 1.0a: refused before the request token is fetched (no fetch is mocked here).
		const oauth1 = unique("oauth1");
		await createCustomConfig(oauth1, {
			auth_mode: "OAUTH1",
			request_url: "https://id.example.com/request_token",
			authorization_url: `https://${SUBDOMAIN}.example.com/authorize`,
			connection_config: SUBDOMAIN_FIELD,
		});
		const early = await get(`/oauth/connect/${oauth1}?connection_id=u`);
		expectPage(early, 400);
		expect(postedMessage(await early.text()).data.error?.type).toBe("url_param_err");
		expect(await sessionRows()).toBe(before);

		const byDefault = await connect(`/oauth/connect/${sf}?connection_id=u`);
		expect(byDefault.host).toBe("login.salesforce.com");
		expect(byDefault.searchParams.get("scope")).toBe("read offline_access");
		expect((await sessionOf(byDefault.searchParams.get("state") ?? "")).connectionConfig).toEqual({
			hostname: "login.salesforce.com",
		});
	});

	it("uses NANGO_CALLBACK_URL, else NANGO_SERVER_URL + /oauth/callback, else the request's origin", async () => {
		const key = unique("custom");
		await createCustomConfig(key);
		const path = `/oauth/connect/${key}?connection_id=u`;
		// Open flows on a deployed host, so the redirect_uri alone is under test.
		const redirect = async (overrides: Record<string, string>, url = path) =>
			(await connect(url, { NANGO_ALLOW_OPEN_FLOWS: "true", ...overrides })).searchParams.get("redirect_uri");
		expect(await redirect({ NANGO_CALLBACK_URL: "https://auth.example.com/cb" })).toBe(
			"https://auth.example.com/cb",
		);
		expect(await redirect({ NANGO_SERVER_URL: "https://nango.example.com/" })).toBe(
			"https://nango.example.com/oauth/callback",
		);
		expect(await redirect({}, `https://edge.example.org${path}`)).toBe(
			"https://edge.example.org/oauth/callback",
		);
	});

	it("reports a missing connection id and an unknown config on the result page", async () => {
		const key = unique("custom");
		await createCustomConfig(key);
		const missing = await get(`/oauth/connect/${key}`);
		expectPage(missing, 400);
		expect(postedMessage(await missing.text())).toEqual({
			eventType: "AUTHORIZATION_FAILED",
			data: {
				providerConfigKey: key,
				integrationKey: key,
				error: { type: "missing_connection_id", message: expect.any(String) },
			},
		});
		const unknown = await get("/oauth/connect/nope-not-here?connection_id=u");
		expectPage(unknown, 404);
		expect(postedMessage(await unknown.text()).data).toEqual({
			connectionId: "u",
			providerConfigKey: "nope-not-here",
			integrationKey: "nope-not-here",
			error: { type: "unknown_config_key", message: expect.stringContaining("nope-not-here") },
		});
		const control = await get(`/oauth/connect/${key}?connection_id=a%00b`);
		expect(postedMessage(await control.text()).data.error?.type).toBe("invalid_connection_id");
	});
});

describe("public key and HMAC (docs/api.md#public-key-and-hmac)", () => {
	const PUBLIC_KEY = "pk-test-0123456789";
	const HMAC_KEY = "hmac-key-test-abcdef";
	const hmac = (key: string, connectionId: string) =>
		createHmac("sha256", HMAC_KEY).update(`${key}:${connectionId}`).digest("hex");

	it("requires the public key as public_key (Nango) or pizzly_pkey (Pizzly) when one is set", async () => {
		const key = unique("custom");
		await createCustomConfig(key);
		const overrides = { NANGO_PUBLIC_KEY: PUBLIC_KEY };
		const missing = await get(`/oauth/connect/${key}?connection_id=u`, overrides);
		expectPage(missing, 401);
		expect(postedMessage(await missing.text()).data.error?.type).toBe("missing_public_key");
		const wrong = await get(`/oauth/connect/${key}?connection_id=u&public_key=pk-test-012345678`, overrides);
		expectPage(wrong, 401);
		expect(postedMessage(await wrong.text()).data.error?.type).toBe("invalid_public_key");
		expect(
			(await get(`/oauth/connect/${key}?connection_id=u&public_key=${PUBLIC_KEY}`, overrides)).status,
		).toBe(302);
		expect(
			(await get(`/oauth/connect/${key}?pizzly_pkey=${PUBLIC_KEY}&connection_id=u`, overrides)).status,
		).toBe(302);
		// Checked before the config is looked up: no probing of config keys without the key.
		const probe = await get("/oauth/connect/unknown-config?connection_id=u", overrides);
		expect(postedMessage(await probe.text()).data.error?.type).toBe("missing_public_key");
	});

	it("requires hmac = hex HMAC-SHA256(key, '<config key>:<connection id>') when an HMAC key is set", async () => {
		const key = unique("custom");
		await createCustomConfig(key);
		const overrides = { NANGO_HMAC_KEY: HMAC_KEY };
		const missing = await get(`/oauth/connect/${key}?connection_id=alice`, overrides);
		expectPage(missing, 401);
		expect(postedMessage(await missing.text()).data.error?.type).toBe("missing_hmac");
		// A valid HMAC of another connection id does not authorize this one.
		const other = await get(
			`/oauth/connect/${key}?connection_id=alice&hmac=${hmac(key, "mallory")}`,
			overrides,
		);
		expectPage(other, 401);
		expect(postedMessage(await other.text()).data.error?.type).toBe("invalid_hmac");
		const garbage = await get(`/oauth/connect/${key}?connection_id=alice&hmac=zz`, overrides);
		expect(postedMessage(await garbage.text()).data.error?.type).toBe("invalid_hmac");
		const ok = await get(`/oauth/connect/${key}?connection_id=alice&hmac=${hmac(key, "alice")}`, overrides);
		expect(ok.status).toBe(302);
		const upper = await get(
			`/oauth/connect/${key}?connection_id=alice&hmac=${hmac(key, "alice").toUpperCase()}`,
			overrides,
		);
		expect(upper.status).toBe(302);
	});
});
