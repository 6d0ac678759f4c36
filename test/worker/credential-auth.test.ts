// Connections from credentials the user types in (docs/credential-auth.md): API keys, basic
// credentials and client credentials, created through today's routes, verified against the
// provider first, read back in today's shapes, sealed at rest, imported, and refreshed where they
// expire (client credentials, one grant however many readers).
import { env } from "cloudflare:workers";
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { call, unique } from "./support/api";
import { HttpResponse, http, useProviderMocks } from "./support/provider-mocks";

const server = useProviderMocks();
const DEPLOYED = "https://nango.example.com";

async function keyConfig(mode: "API_KEY" | "BASIC", verification = true) {
	const key = unique(mode.toLowerCase());
	const base = `https://api.${key}.test`;
	const created = await call("POST", "/config", {
		body: {
			provider_config_key: key,
			provider: `custom-${key}`,
			auth_mode: mode,
			proxy: { base_url: base, ...(mode === "API_KEY" ? { headers: { "x-api-key": "${apiKey}" } } : {}) },
			...(verification ? { verification: { method: "GET", endpoints: ["/me"] } } : {}),
		},
	});
	expect(created.status, created.text).toBe(200);
	return { key, base };
}

/** The provider's /me: accepts `accept(request)`, else 401; counts calls. */
function verifier(base: string, accept: (request: { headers: Headers }) => boolean) {
	const seen: Headers[] = [];
	server.use(
		http.get(`${base}/me`, ({ request }) => {
			seen.push(request.headers);
			return accept(request)
				? HttpResponse.json({ id: 1 })
				: HttpResponse.json({ error: "nope" }, { status: 401 });
		}),
	);
	return seen;
}

const storedCredentials = (key: string, id: string) =>
	env.DB.prepare("SELECT credentials FROM connections WHERE provider_config_key = ? AND connection_id = ?")
		.bind(key, id)
		.first<{ credentials: string }>();

describe("API keys", () => {
	it("creates a connection after the provider accepts the key, and reads it back in today's shape", async () => {
		const { key, base } = await keyConfig("API_KEY");
		const seen = verifier(base, (request) => request.headers.get("x-api-key") === "key-SENSITIVE-1");
		const created = await call("POST", `/api-auth/api-key/${key}?connection_id=acme`, {
			anonymous: true,
			body: { apiKey: "key-SENSITIVE-1" },
		});
		expect([created.status, created.json]).toEqual([200, { connectionId: "acme", providerConfigKey: key }]);
		expect(seen).toHaveLength(1);
		for (const path of [
			`/connection/acme?provider_config_key=${key}`,
			`/connections/acme?provider_config_key=${key}`,
		]) {
			const read = await call("GET", path);
			expect(read.json.credentials).toEqual({ type: "API_KEY", apiKey: "key-SENSITIVE-1" });
		}
		// the Pizzly document's form keeps today's field names for modes it never knew
		const pizzly = await call("GET", `/connection/acme?integration_key=${key}`);
		expect(pizzly.json.connection.credentials).toEqual({ type: "API_KEY", apiKey: "key-SENSITIVE-1" });
		// sealed at rest, never in a list
		expect((await storedCredentials(key, "acme"))?.credentials).not.toContain("SENSITIVE");
		expect((await call("GET", "/connections")).text).not.toContain("SENSITIVE");
		// a new key replaces the old one
		verifier(base, (request) => request.headers.get("x-api-key") === "key-2");
		expect(
			(await call("POST", `/api-auth/api-key/${key}?connection_id=acme`, { body: { apiKey: "key-2" } }))
				.status,
		).toBe(200);
		expect((await call("GET", `/connection/acme?provider_config_key=${key}`)).json.credentials.apiKey).toBe(
			"key-2",
		);
	});

	it("is injected by the proxy where the template says, and the caller never sends it", async () => {
		const { key, base } = await keyConfig("API_KEY", false);
		await call("POST", "/connections", {
			body: {
				provider_config_key: key,
				connection_id: "p",
				credentials: { type: "API_KEY", apiKey: "key-proxy" },
			},
		});
		const seen: Headers[] = [];
		server.use(
			http.get(`${base}/v1/items`, ({ request }) => {
				seen.push(request.headers);
				return HttpResponse.json({ items: [] });
			}),
		);
		const proxied = await call("GET", "/proxy/v1/items", {
			headers: { "Provider-Config-Key": key, "Connection-Id": "p" },
		});
		expect(proxied.status).toBe(200);
		expect(seen[0]?.get("x-api-key")).toBe("key-proxy");
		// the caller's own Authorization (the secret key) never goes upstream
		expect(seen[0]?.get("authorization")).toBeNull();
	});

	it("stores nothing when the provider refuses the key", async () => {
		const { key, base } = await keyConfig("API_KEY");
		verifier(base, () => false);
		const refused = await call("POST", `/api-auth/api-key/${key}?connection_id=acme`, {
			body: { apiKey: "wrong" },
		});
		expect(refused.status).toBe(400);
		expect(refused.json.error.code).toBe("connection_test_failed");
		expect(refused.text).not.toContain("wrong");
		expect((await call("GET", `/connection/acme?provider_config_key=${key}`)).status).toBe(404);
	});

	it("refuses bad bodies, the wrong route and an unknown integration, in today's error shape, storing nothing", async () => {
		const { key, base } = await keyConfig("API_KEY");
		verifier(base, () => true);
		for (const body of [{}, { apiKey: "" }, { apiKey: 5 }, { apiKey: "k", extra: 1 }, "not json"]) {
			const refused = await call("POST", `/api-auth/api-key/${key}?connection_id=bad`, { body });
			expect(refused.status, JSON.stringify(body)).toBe(400);
			expect(typeof refused.json.error.code).toBe("string");
		}
		const wrongRoute = await call("POST", `/api-auth/basic/${key}?connection_id=bad`, {
			body: { username: "u", password: "p" },
		});
		expect([wrongRoute.status, wrongRoute.json.error.code]).toEqual([400, "auth_mode_mismatch"]);
		const unknown = await call("POST", "/api-auth/api-key/no-such-key?connection_id=bad", {
			body: { apiKey: "k" },
		});
		expect(unknown.status).toBe(404);
		expect((await call("GET", `/connection/bad?provider_config_key=${key}`)).status).toBe(404);
	});

	it("off loopback, needs a connect session (or an hmac); the session chooses the id and owns the connection", async () => {
		const { key, base } = await keyConfig("API_KEY");
		verifier(base, () => true);
		const open = await call("POST", `/api-auth/api-key/${key}?connection_id=acme`, {
			origin: DEPLOYED,
			body: { apiKey: "k" },
		});
		expect([open.status, open.json.error.code]).toEqual([401, "missing_connect_session_token"]);
		const session = await call("POST", "/connect/sessions", {
			body: { end_user: { id: "eu-1", email: "eu@example.com" }, allowed_integrations: [key] },
		});
		const token = session.json.data.token;
		const withId = await call(
			"POST",
			`/api-auth/api-key/${key}?connection_id=acme&connect_session_token=${token}`,
			{
				origin: DEPLOYED,
				body: { apiKey: "k" },
			},
		);
		expect(withId.status).toBe(400);
		const created = await call("POST", `/api-auth/api-key/${key}?connect_session_token=${token}`, {
			origin: DEPLOYED,
			body: { apiKey: "k" },
		});
		expect(created.status).toBe(200);
		expect(created.json.connectionId).toMatch(/^[0-9a-f-]{36}$/);
		const read = await call("GET", `/connection/${created.json.connectionId}?provider_config_key=${key}`);
		expect(read.json.end_user).toMatchObject({ id: "eu-1", email: "eu@example.com" });
	});

	it("answers CORS preflights for today's frontend on any origin", async () => {
		const preflight = await call("OPTIONS", "/api-auth/api-key/x", {
			anonymous: true,
			headers: {
				origin: "https://app.example.com",
				"access-control-request-method": "POST",
				"access-control-request-headers": "content-type",
			},
		});
		expect(preflight.status).toBe(204);
		expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
	});
});

describe("basic credentials", () => {
	it("verifies them as Basic, stores them sealed, reads them back", async () => {
		const { key, base } = await keyConfig("BASIC");
		const expected = `Basic ${btoa("ada:pw-SENSITIVE")}`;
		verifier(base, (request) => request.headers.get("authorization") === expected);
		const created = await call("POST", `/api-auth/basic/${key}?connection_id=ada`, {
			body: { username: "ada", password: "pw-SENSITIVE" },
		});
		expect(created.status, created.text).toBe(200);
		const read = await call("GET", `/connection/ada?provider_config_key=${key}`);
		expect(read.json.credentials).toEqual({ type: "BASIC", username: "ada", password: "pw-SENSITIVE" });
		expect((await storedCredentials(key, "ada"))?.credentials).not.toContain("SENSITIVE");
		const refused = await call("POST", `/api-auth/basic/${key}?connection_id=eve`, {
			body: { username: "ada", password: "wrong" },
		});
		expect([refused.status, refused.json.error.code]).toEqual([400, "connection_test_failed"]);
		expect((await call("GET", `/connection/eve?provider_config_key=${key}`)).status).toBe(404);
	});
});

describe("client credentials", () => {
	async function ccConfig(answer: (form: URLSearchParams) => Response) {
		const key = unique("cc");
		const tokenUrl = `https://id.${key}.test/token`;
		const grants: URLSearchParams[] = [];
		server.use(
			http.post(tokenUrl, async ({ request }) => {
				const form = new URLSearchParams(await request.text());
				grants.push(form);
				return answer(form);
			}),
		);
		const created = await call("POST", "/config", {
			body: {
				provider_config_key: key,
				provider: `custom-${key}`,
				auth_mode: "OAUTH2_CC",
				token_url: tokenUrl,
			},
		});
		expect(created.status, created.text).toBe(200);
		return { key, grants };
	}

	it("fetches the first token before answering; 55 minutes when the provider gives no expiry", async () => {
		const { key, grants } = await ccConfig((form) =>
			form.get("client_secret") === "cs-SENSITIVE"
				? HttpResponse.json({ access_token: `cc-${grants.length}`, token_type: "Bearer" })
				: HttpResponse.json({ error: "invalid_client" }, { status: 401 }),
		);
		const before = Date.now();
		const created = await call("POST", `/oauth2/auth/${key}?connection_id=svc`, {
			body: { client_id: "ci", client_secret: "cs-SENSITIVE" },
		});
		expect(created.status, created.text).toBe(200);
		expect(grants[0]?.get("grant_type")).toBe("client_credentials");
		const read = await call("GET", `/connection/svc?provider_config_key=${key}`);
		expect(read.json.credentials).toMatchObject({
			type: "OAUTH2_CC",
			token: "cc-1",
			client_id: "ci",
			client_secret: "cs-SENSITIVE",
		});
		const expires = Date.parse(read.json.credentials.expires_at);
		expect(expires - before).toBeGreaterThanOrEqual(55 * 60_000 - 1000);
		expect(expires - before).toBeLessThanOrEqual(55 * 60_000 + 60_000);
		const refused = await call("POST", `/oauth2/auth/${key}?connection_id=other`, {
			body: { client_id: "ci", client_secret: "wrong" },
		});
		expect([refused.status, refused.json.error.code]).toEqual([400, "connection_test_failed"]);
		expect((await call("GET", `/connection/other?provider_config_key=${key}`)).status).toBe(404);
	});

	it("refreshes an expired token once for 20 concurrent readers", async () => {
		const { key, grants } = await ccConfig(() =>
			HttpResponse.json({ access_token: `cc-new`, expires_in: 3600 }),
		);
		// Imported without a token: the first read must fetch one.
		const imported = await call("POST", "/connections", {
			body: {
				provider_config_key: key,
				connection_id: "svc",
				credentials: { type: "OAUTH2_CC", client_id: "ci", client_secret: "cs" },
			},
		});
		expect(imported.status, imported.text).toBe(201);
		const reads = await Promise.all(
			Array.from({ length: 20 }, () => call("GET", `/connection/svc?provider_config_key=${key}`)),
		);
		expect(reads.map((read) => read.json.credentials.token)).toEqual(Array(20).fill("cc-new"));
		expect(grants).toHaveLength(1);
	});
});

describe("import", () => {
	it("takes today's credentials shapes on both import routes", async () => {
		const { key } = await keyConfig("API_KEY", false);
		const early = await call("POST", "/connection", {
			body: { provider_config_key: key, connection_id: "a", credentials: { type: "API_KEY", apiKey: "k-a" } },
		});
		expect(early.status, early.text).toBe(201);
		const today = await call("POST", "/connections", {
			body: {
				provider_config_key: key,
				connection_id: "b",
				credentials: { type: "BASIC", username: "u", password: "p" },
			},
		});
		expect(today.status, today.text).toBe(201);
		expect((await call("GET", `/connections/a?provider_config_key=${key}`)).json.credentials).toEqual({
			type: "API_KEY",
			apiKey: "k-a",
		});
		expect((await call("GET", `/connections/b?provider_config_key=${key}`)).json.credentials).toEqual({
			type: "BASIC",
			username: "u",
			password: "p",
		});
		const bad = await call("POST", "/connections", {
			body: { provider_config_key: key, connection_id: "c", credentials: { type: "API_KEY" } },
		});
		expect(bad.status).toBe(400);
	});
});

/** Every stored column of a config's connections, ciphertexts included: what "nothing changed" means. */
const connectionRows = async (key: string) =>
	(
		await env.DB.prepare("SELECT * FROM connections WHERE provider_config_key = ? ORDER BY connection_id")
			.bind(key)
			.all()
	).results;

describe("who may connect, and what only the app's backend may choose", () => {
	it("off loopback, an hmac of key and id from the backend lets the browser name the connection", async () => {
		const { key, base } = await keyConfig("API_KEY");
		verifier(base, () => true);
		const hmacOf = (id: string) => createHmac("sha256", "hmac-key").update(`${key}:${id}`).digest("hex");
		const withHmac = (id: string, hmac: string) =>
			call("POST", `/api-auth/api-key/${key}?connection_id=${id}&hmac=${hmac}`, {
				origin: DEPLOYED,
				anonymous: true,
				env: { NANGO_HMAC_KEY: "hmac-key" },
				body: { apiKey: "k" },
			});
		// an hmac made for another id proves nothing about this one
		const stolen = await withHmac("victim", hmacOf("attacker"));
		expect([stolen.status, stolen.json.error.code]).toEqual([401, "invalid_hmac"]);
		const missing = await call("POST", `/api-auth/api-key/${key}?connection_id=victim`, {
			origin: DEPLOYED,
			anonymous: true,
			env: { NANGO_HMAC_KEY: "hmac-key" },
			body: { apiKey: "k" },
		});
		expect([missing.status, missing.json.error.code]).toEqual([401, "missing_hmac"]);
		expect(await connectionRows(key)).toEqual([]);
		const signed = await withHmac("victim", hmacOf("victim"));
		expect([signed.status, signed.json]).toEqual([200, { connectionId: "victim", providerConfigKey: key }]);
	});

	it("refuses an unknown session token and an integration the session does not allow, storing nothing", async () => {
		const { key, base } = await keyConfig("BASIC");
		const other = await keyConfig("BASIC");
		const seen = verifier(base, () => true);
		const unknown = await call("POST", `/api-auth/basic/${key}?connect_session_token=nope`, {
			origin: DEPLOYED,
			anonymous: true,
			body: { username: "u", password: "p" },
		});
		expect([unknown.status, unknown.json.error.code]).toEqual([401, "invalid_connect_session"]);
		const session = await call("POST", "/connect/sessions", {
			body: { end_user: { id: "eu-2" }, allowed_integrations: [other.key] },
		});
		const notAllowed = await call(
			"POST",
			`/api-auth/basic/${key}?connect_session_token=${session.json.data.token}`,
			{ origin: DEPLOYED, anonymous: true, body: { username: "u", password: "p" } },
		);
		expect([notAllowed.status, notAllowed.json.error.code]).toEqual([403, "integration_not_allowed"]);
		expect(seen).toHaveLength(0);
		expect(await connectionRows(key)).toEqual([]);
	});

	it("never sends the key to a host the browser names; the session's host wins over the browser's", async () => {
		const key = unique("tenant");
		const created = await call("POST", "/config", {
			body: {
				provider_config_key: key,
				provider: `custom-${key}`,
				auth_mode: "API_KEY",
				connection_config: { host: { description: "API host", pattern: "^[a-z0-9.-]+$" } },
				proxy: { base_url: "https://${connectionConfig.host}", headers: { "x-api-key": "${apiKey}" } },
				verification: { method: "GET", endpoints: ["/me"] },
			},
		});
		expect(created.status, created.text).toBe(200);
		const good = verifier(`https://api.${key}.test`, () => true);
		const evil = verifier(`https://evil.${key}.test`, () => true);
		const fromBrowser = await call(
			"POST",
			`/api-auth/api-key/${key}?connection_id=c1&params[host]=evil.${key}.test`,
			{ anonymous: true, body: { apiKey: "key-SENSITIVE" } },
		);
		expect(fromBrowser.status).toBe(400);
		expect(fromBrowser.json.error.message).toContain("host");
		expect(await connectionRows(key)).toEqual([]);

		const session = await call("POST", "/connect/sessions", {
			body: {
				end_user: { id: "eu-3" },
				allowed_integrations: [key],
				integrations_config_defaults: { [key]: { connection_config: { host: `api.${key}.test` } } },
				tags: { plan: "pro" },
			},
		});
		// The session's host is the one the key is sent to.
		const underSession = await call(
			"POST",
			`/api-auth/api-key/${key}?connect_session_token=${session.json.data.token}`,
			{ origin: DEPLOYED, anonymous: true, body: { apiKey: "key-SENSITIVE" } },
		);
		expect(underSession.status, underSession.text).toBe(200);
		expect(evil).toHaveLength(0);
		expect(good.map((headers) => headers.get("x-api-key"))).toEqual(["key-SENSITIVE"]);
		const read = await call(
			"GET",
			`/connections/${underSession.json.connectionId}?provider_config_key=${key}`,
		);
		expect(read.json.connection_config).toEqual({ host: `api.${key}.test` });
		expect(read.json.end_user).toMatchObject({ id: "eu-3" });
		expect(read.json.tags).toEqual({ plan: "pro" });
	});

	it("a session default wins over the browser's value for the same parameter", async () => {
		const key = unique("region");
		const created = await call("POST", "/config", {
			body: {
				provider_config_key: key,
				provider: `custom-${key}`,
				auth_mode: "BASIC",
				connection_config: { region: { description: "region", pattern: "^(eu|us)$" } },
				proxy: { base_url: `https://\${connectionConfig.region}.${key}.test` },
				verification: { method: "GET", endpoints: ["/me"] },
			},
		});
		expect(created.status, created.text).toBe(200);
		const eu = verifier(`https://eu.${key}.test`, () => true);
		const us = verifier(`https://us.${key}.test`, () => true);
		const session = await call("POST", "/connect/sessions", {
			body: {
				end_user: { id: "eu-4" },
				allowed_integrations: [key],
				integrations_config_defaults: { [key]: { connection_config: { region: "eu" } } },
			},
		});
		const connected = await call(
			"POST",
			`/api-auth/basic/${key}?connect_session_token=${session.json.data.token}&params[region]=us`,
			{ origin: DEPLOYED, anonymous: true, body: { username: "u", password: "p" } },
		);
		expect(connected.status, connected.text).toBe(200);
		expect([eu.length, us.length]).toEqual([1, 0]);
		const read = await call("GET", `/connection/${connected.json.connectionId}?provider_config_key=${key}`);
		expect(read.json.connection_config).toEqual({ region: "eu" });
	});
});

describe("verification", () => {
	it("tries each endpoint in order and the first 2xx accepts; a redirect is a refusal, never followed", async () => {
		const key = unique("multi");
		const base = `https://api.${key}.test`;
		await call("POST", "/config", {
			body: {
				provider_config_key: key,
				provider: `custom-${key}`,
				auth_mode: "API_KEY",
				proxy: { base_url: base, headers: { authorization: "Bearer ${apiKey}" } },
				verification: { method: "GET", endpoints: ["/v2/me", "/v1/me"] },
			},
		});
		const followed: string[] = [];
		server.use(
			http.get(`${base}/v2/me`, () => HttpResponse.json({}, { status: 404 })),
			http.get(`${base}/v1/me`, ({ request }) =>
				request.headers.get("authorization") === "Bearer good"
					? HttpResponse.json({})
					: new HttpResponse(null, { status: 302, headers: { location: `https://elsewhere.${key}.test/` } }),
			),
			http.get(`https://elsewhere.${key}.test/`, ({ request }) => {
				followed.push(request.headers.get("authorization") ?? "");
				return HttpResponse.json({});
			}),
		);
		const redirected = await call("POST", `/api-auth/api-key/${key}?connection_id=r`, {
			body: { apiKey: "bad" },
		});
		expect([redirected.status, redirected.json.error.code]).toEqual([400, "connection_test_failed"]);
		expect(followed).toEqual([]);
		const accepted = await call("POST", `/api-auth/api-key/${key}?connection_id=r`, {
			body: { apiKey: "good" },
		});
		expect(accepted.status, accepted.text).toBe(200);
	});

	it("a provider that cannot be reached refuses the credentials", async () => {
		const { key, base } = await keyConfig("API_KEY");
		server.use(http.get(`${base}/me`, () => HttpResponse.error()));
		const refused = await call("POST", `/api-auth/api-key/${key}?connection_id=down`, {
			body: { apiKey: "k" },
		});
		expect([refused.status, refused.json.error.code]).toEqual([400, "connection_test_failed"]);
		expect(await connectionRows(key)).toEqual([]);
	});
});

describe("re-authorization", () => {
	it("basic: new credentials replace the old ones on both read routes; a refused or bad attempt changes nothing", async () => {
		const { key, base } = await keyConfig("BASIC");
		verifier(base, (request) => request.headers.get("authorization")?.startsWith("Basic ") === true);
		expect(
			(
				await call("POST", `/api-auth/basic/${key}?connection_id=ada`, {
					body: { username: "ada", password: "one" },
				})
			).status,
		).toBe(200);
		// warm the read path's memories, which a new authorization must forget
		expect((await call("GET", `/connections/ada?provider_config_key=${key}`)).json.credentials.password).toBe(
			"one",
		);
		expect(
			(
				await call("POST", `/api-auth/basic/${key}?connection_id=ada`, {
					body: { username: "ada", password: "two" },
				})
			).status,
		).toBe(200);
		for (const path of [
			`/connection/ada?provider_config_key=${key}`,
			`/connections/ada?provider_config_key=${key}`,
		]) {
			expect((await call("GET", path)).json.credentials).toEqual({
				type: "BASIC",
				username: "ada",
				password: "two",
			});
		}
		const stored = await connectionRows(key);
		verifier(base, () => false);
		const refused = await call("POST", `/api-auth/basic/${key}?connection_id=ada`, {
			body: { username: "ada", password: "three" },
		});
		expect(refused.json.error.code).toBe("connection_test_failed");
		for (const body of [
			{ username: "", password: "" },
			{ username: "ada" },
			{ username: "ada", password: 3 },
		]) {
			const bad = await call("POST", `/api-auth/basic/${key}?connection_id=ada`, { body });
			expect([bad.status, bad.json.error.code], JSON.stringify(body)).toEqual([400, "invalid_body"]);
		}
		expect(await connectionRows(key)).toEqual(stored);
		expect((await call("GET", `/connection/ada?provider_config_key=${key}`)).json.credentials.password).toBe(
			"two",
		);
	});

	it("a reconnect session replaces the credentials of its own connection, keeping its id", async () => {
		const { key, base } = await keyConfig("API_KEY");
		verifier(base, () => true);
		const first = await call("POST", `/api-auth/api-key/${key}?connection_id=keep`, {
			body: { apiKey: "old" },
		});
		expect(first.status).toBe(200);
		const reconnect = await call("POST", "/connect/sessions/reconnect", {
			body: { connection_id: "keep", integration_id: key, end_user: { id: "eu-5" } },
		});
		expect(reconnect.status, reconnect.text).toBe(201);
		const again = await call(
			"POST",
			`/api-auth/api-key/${key}?connect_session_token=${reconnect.json.data.token}`,
			{ origin: DEPLOYED, anonymous: true, body: { apiKey: "new" } },
		);
		expect([again.status, again.json]).toEqual([200, { connectionId: "keep", providerConfigKey: key }]);
		const read = await call("GET", `/connections/keep?provider_config_key=${key}`);
		expect(read.json.credentials).toEqual({ type: "API_KEY", apiKey: "new" });
		expect(read.json.end_user).toMatchObject({ id: "eu-5" });
		expect(await connectionRows(key)).toHaveLength(1);
	});

	it("refuses oversized and non-JSON bodies before anything is stored", async () => {
		const { key, base } = await keyConfig("API_KEY");
		const seen = verifier(base, () => true);
		const huge = await call("POST", `/api-auth/api-key/${key}?connection_id=big`, {
			body: { apiKey: "x".repeat(1_100_000) },
		});
		expect([huge.status, huge.json.error.code]).toEqual([413, "payload_too_large"]);
		const long = await call("POST", `/api-auth/api-key/${key}?connection_id=big`, {
			body: { apiKey: "x".repeat(5000) },
		});
		expect([long.status, long.json.error.code]).toEqual([400, "invalid_body"]);
		const form = await call("POST", `/api-auth/api-key/${key}?connection_id=big`, {
			body: "apiKey=k",
			headers: { "content-type": "application/x-www-form-urlencoded" },
		});
		expect([form.status, form.json.error.code]).toEqual([415, "unsupported_content_type"]);
		expect(seen).toHaveLength(0);
		expect(await connectionRows(key)).toEqual([]);
	});
});

describe("client credentials: the connection's own client, refreshed when due", () => {
	/** A CC config whose token endpoint wants HTTP Basic and an audience; records each grant. */
	async function basicAuthCcConfig() {
		const key = unique("ccb");
		const tokenUrl = `https://id.${key}.test/oauth/token`;
		const grants: { authorization: string | null; form: URLSearchParams }[] = [];
		server.use(
			http.post(tokenUrl, async ({ request }) => {
				const form = new URLSearchParams(await request.text());
				grants.push({ authorization: request.headers.get("authorization"), form });
				return HttpResponse.json({ access_token: `tok-${grants.length}`, expires_in: 3600 });
			}),
		);
		const created = await call("POST", "/config", {
			body: {
				provider_config_key: key,
				provider: `custom-${key}`,
				auth_mode: "OAUTH2_CC",
				token_url: tokenUrl,
				token_request_auth_method: "basic",
				token_params: { audience: "https://api.example.com" },
			},
		});
		expect(created.status, created.text).toBe(200);
		return { key, grants };
	}

	it("an imported token past its expiry is replaced on read with the connection's own client; a valid one is served as is", async () => {
		const { key, grants } = await basicAuthCcConfig();
		for (const [id, expires_at] of [
			["expired", new Date(Date.now() - 60_000).toISOString()],
			["valid", new Date(Date.now() + 3600_000).toISOString()],
		] as const) {
			const imported = await call("POST", "/connections", {
				body: {
					provider_config_key: key,
					connection_id: id,
					credentials: {
						type: "OAUTH2_CC",
						token: `old-${id}`,
						expires_at,
						client_id: `client-${id}`,
						client_secret: "secret-SENSITIVE",
					},
				},
			});
			expect(imported.status, imported.text).toBe(201);
		}
		expect((await call("GET", `/connection/valid?provider_config_key=${key}`)).json.credentials.token).toBe(
			"old-valid",
		);
		expect(grants).toHaveLength(0);
		const read = await call("GET", `/connections/expired?provider_config_key=${key}`);
		expect(read.json.credentials).toMatchObject({
			type: "OAUTH2_CC",
			token: "tok-1",
			client_id: "client-expired",
		});
		expect(grants).toHaveLength(1);
		expect(grants[0]?.authorization).toBe(`Basic ${btoa("client-expired:secret-SENSITIVE")}`);
		expect(Object.fromEntries(grants[0]?.form ?? [])).toEqual({
			grant_type: "client_credentials",
			audience: "https://api.example.com",
		});
		// stored before it was answered: the next read needs no grant
		expect((await call("GET", `/connection/expired?provider_config_key=${key}`)).json.credentials.token).toBe(
			"tok-1",
		);
		expect(grants).toHaveLength(1);
		// sealed at rest, and no list shows a token or a client secret
		for (const row of await connectionRows(key)) {
			expect(JSON.stringify(row)).not.toMatch(/SENSITIVE|old-|tok-1/);
		}
		for (const path of ["/connections", "/connection", `/connections?integrationId=${key}`]) {
			expect((await call("GET", path)).text, path).not.toMatch(/SENSITIVE|old-valid|tok-1/);
		}
	});

	it("re-authorizing with a new client replaces it: later refreshes use the new secret", async () => {
		const { key, grants } = await basicAuthCcConfig();
		const connect = (secret: string) =>
			call("POST", `/oauth2/auth/${key}?connection_id=svc`, {
				anonymous: true,
				body: { client_id: "ci", client_secret: secret },
			});
		expect((await connect("first")).status).toBe(200);
		expect((await connect("second")).status).toBe(200);
		expect(grants.map((grant) => grant.authorization)).toEqual([
			`Basic ${btoa("ci:first")}`,
			`Basic ${btoa("ci:second")}`,
		]);
		const read = await call("GET", `/connections/svc?provider_config_key=${key}&force_refresh=true`);
		expect(read.json.credentials).toMatchObject({ token: "tok-3", client_secret: "second" });
		expect(grants[2]?.authorization).toBe(`Basic ${btoa("ci:second")}`);
		expect(await connectionRows(key)).toHaveLength(1);
	});

	it("refuses bad bodies and the other modes' routes, storing nothing and asking the provider nothing", async () => {
		const { key, grants } = await basicAuthCcConfig();
		for (const body of [
			{},
			{ client_id: "ci" },
			{ client_id: "ci", client_secret: "" },
			{ clientId: "ci", clientSecret: "s" },
		]) {
			const bad = await call("POST", `/oauth2/auth/${key}?connection_id=svc`, { body });
			expect([bad.status, bad.json.error.code], JSON.stringify(body)).toEqual([400, "invalid_body"]);
		}
		const apiKeyRoute = await call("POST", `/api-auth/api-key/${key}?connection_id=svc`, {
			body: { apiKey: "k" },
		});
		expect([apiKeyRoute.status, apiKeyRoute.json.error.code]).toEqual([400, "auth_mode_mismatch"]);
		const keyed = await keyConfig("API_KEY", false);
		const ccRoute = await call("POST", `/oauth2/auth/${keyed.key}?connection_id=svc`, {
			body: { client_id: "ci", client_secret: "s" },
		});
		expect([ccRoute.status, ccRoute.json.error.code]).toEqual([400, "auth_mode_mismatch"]);
		expect(grants).toHaveLength(0);
		expect(await connectionRows(key)).toEqual([]);
		expect(await connectionRows(keyed.key)).toEqual([]);
	});
});

describe("import refusals", () => {
	it("refuses credentials beside the early token fields, and shapes of the wrong mode's fields, storing nothing", async () => {
		const { key } = await keyConfig("API_KEY", false);
		for (const body of [
			{ credentials: { type: "API_KEY", apiKey: "k" }, access_token: "t" },
			{ credentials: { type: "API_KEY", apiKey: "k", password: "p" } },
			{ credentials: { type: "BASIC", username: "", password: "" } },
			{ credentials: { type: "OAUTH2_CC", token: "t" } },
			{ credentials: { type: "APIKEY", apiKey: "k" } },
		]) {
			for (const route of ["/connection", "/connections"]) {
				const refused = await call("POST", route, {
					body: { provider_config_key: key, connection_id: "x", ...body },
				});
				expect(
					[refused.status, refused.json.code ?? refused.json.error?.code],
					`${route} ${JSON.stringify(body)}`,
				).toEqual([400, "invalid_body"]);
			}
		}
		expect(await connectionRows(key)).toEqual([]);
	});
});
