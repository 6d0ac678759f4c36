// Connections from credentials the user types in (docs/credential-auth.md): API keys, basic
// credentials and client credentials, created through today's routes, verified against the
// provider first, read back in today's shapes, sealed at rest, imported, and refreshed where they
// expire (client credentials, one grant however many readers).
import { env } from "cloudflare:workers";
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
