// Connect sessions (docs/connect-sessions.md), as today's Nango serves them: minting (only a hash
// is stored), validation, what the Connect UI reads, revocation and expiry, and flows under a
// session: a worker-chosen connection id, allowed integrations, backend defaults winning over the
// browser, the end user recorded on the connection, and reconnect sessions.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, createConnectSession, importConnection, unique } from "./support/api";
import { connect, createConfig, createCustomConfig, get, postedMessage } from "./support/oauth-flow";
import { HttpResponse, http, useProviderMocks } from "./support/provider-mocks";

const server = useProviderMocks();

const TOKEN = /^nango_connect_session_[0-9a-f]{64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const sessionRequest = (method: string, token: string) =>
	call(method, "/connect/session", { anonymous: true, headers: { authorization: `Bearer ${token}` } });

/** Runs a flow under a session to its callback; returns the posted message. */
async function completeFlow(path: string) {
	const location = await connect(path);
	const page = await get(`/oauth/callback?code=c&state=${location.searchParams.get("state")}`);
	return postedMessage(await page.text());
}

function mockToken(access: string) {
	server.use(
		http.post("https://id.example.com/token", () =>
			HttpResponse.json({ access_token: access, refresh_token: "rt", expires_in: 3600 }),
		),
	);
}

describe("POST /connect/sessions", () => {
	it("mints a 30-minute token, stored only as its hash", async () => {
		const key = unique("custom");
		await createCustomConfig(key);
		const before = Date.now();
		const created = await call("POST", "/connect/sessions", {
			body: {
				end_user: { id: "u-1", email: "ada@example.com", display_name: "Ada", tags: { plan: "pro" } },
				organization: { id: "org-1", display_name: "Acme" },
				allowed_integrations: [key],
				tags: { origin: "settings-page" },
			},
		});
		expect(created.status).toBe(201);
		const { token, connect_link, expires_at } = created.json.data;
		expect(token).toMatch(TOKEN);
		expect(connect_link).toBe(`http://localhost/connect/?session_token=${token}`);
		const expires = Date.parse(expires_at);
		expect(expires - before).toBeGreaterThanOrEqual(30 * 60_000 - 5_000);
		expect(expires - before).toBeLessThanOrEqual(30 * 60_000 + 5_000);
		const rows = await env.DB.prepare("SELECT * FROM connect_sessions").all();
		expect(JSON.stringify(rows.results)).not.toContain(token.slice("nango_connect_session_".length));
	});

	it("links to NANGO_SERVER_URL when set", async () => {
		const created = await call("POST", "/connect/sessions", {
			body: { end_user: { id: "u" } },
			env: { NANGO_SERVER_URL: "https://auth.example.com/" },
		});
		expect(created.json.data.connect_link).toMatch(
			/^https:\/\/auth\.example\.com\/connect\/\?session_token=/,
		);
	});

	it("refuses bad bodies with 400 in today's error shape, and stores nothing", async () => {
		const key = unique("custom");
		await createCustomConfig(key);
		const count = async () =>
			(await env.DB.prepare("SELECT count(*) AS n FROM connect_sessions").first<{ n: number }>())?.n;
		const before = await count();
		const bad: unknown[] = [
			{},
			{ end_user: {} },
			{ end_user: { id: "" } },
			{ end_user: { id: "u", unknown: 1 } },
			{ end_user: { id: "u" }, allowed_integration: [key] },
			{ end_user: { id: "u" }, allowed_integrations: ["no-such-config"] },
			{ end_user: { id: "u" }, allowed_integrations: key },
			{ end_user: { id: "u" }, integrations_config_defaults: { "no-such-config": {} } },
			{ end_user: { id: "u" }, integrations_config_defaults: { [key]: { connection_config: { a: {} } } } },
			{ end_user: { id: "u", email: "not an email" } },
			{ end_user: { id: "u" }, tags: { a: 1 } },
			{ end_user: { id: "x".repeat(256) } },
			[],
			"text",
		];
		for (const body of bad) {
			const response = await call("POST", "/connect/sessions", { body });
			expect(response.status, JSON.stringify(body)).toBe(400);
			expect(response.json.error).toEqual({ code: expect.any(String), message: expect.any(String) });
		}
		expect(await count()).toBe(before);
	});

	it("accepts top-level tags instead of an end user", async () => {
		const created = await call("POST", "/connect/sessions", { body: { tags: { user: "42" } } });
		expect(created.status).toBe(201);
		const read = await sessionRequest("GET", created.json.data.token);
		expect(read.json.data).toMatchObject({ end_user: null, tags: { user: "42" } });
	});

	it("needs the secret key, answered in today's error shape", async () => {
		const response = await call("POST", "/connect/sessions", {
			body: { end_user: { id: "u" } },
			anonymous: true,
		});
		expect(response.status).toBe(401);
		expect(response.json).toEqual({ error: { code: "missing_auth_header", message: expect.any(String) } });
	});
});

describe("GET and DELETE /connect/session", () => {
	it("shows the Connect UI what the session allows, without host fields the backend must set", async () => {
		const zendesk = unique("zendesk");
		const salesforce = unique("salesforce");
		const other = unique("other");
		await createConfig(zendesk, { provider: "zendesk" });
		await createConfig(salesforce, { provider: "salesforce" });
		await createCustomConfig(other);
		const token = await createConnectSession({
			end_user: { id: "u-2", email: "bo@example.com" },
			allowed_integrations: [zendesk, salesforce],
			integrations_config_defaults: {
				[salesforce]: { connection_config: { hostname: "acme.my.salesforce.com" } },
			},
		});
		const read = await sessionRequest("GET", token);
		expect(read.status).toBe(200);
		expect(read.json.data).toMatchObject({
			end_user: { id: "u-2", email: "bo@example.com", display_name: null, tags: null, organization: null },
			allowed_integrations: [zendesk, salesforce],
			is_reconnect: false,
		});
		const integrations = read.json.data.integrations as Array<{
			unique_key: string;
			connection_config: Record<string, unknown>;
		}>;
		expect(integrations.map((integration) => integration.unique_key)).toEqual([zendesk, salesforce]);
		expect(Object.keys(integrations[0]?.connection_config ?? {})).toEqual(["subdomain"]);
		expect(integrations[0]).toMatchObject({ provider: "zendesk", auth_mode: "OAUTH2" });
		expect(integrations[1]?.connection_config).toEqual({});
	});

	it("refuses a missing, malformed, unknown or revoked token", async () => {
		expect((await call("GET", "/connect/session", { anonymous: true })).json).toEqual({
			error: { code: "missing_connect_session_token", message: expect.any(String) },
		});
		expect((await sessionRequest("GET", "nope")).status).toBe(401);
		const unknown = `nango_connect_session_${"0".repeat(64)}`;
		expect((await sessionRequest("GET", unknown)).json.error.code).toBe("invalid_connect_session");

		const key = unique("custom");
		await createCustomConfig(key);
		const token = await createConnectSession();
		expect((await sessionRequest("DELETE", token)).status).toBe(204);
		expect((await sessionRequest("GET", token)).status).toBe(401);
		expect((await sessionRequest("DELETE", token)).status).toBe(401);
		const page = await get(`/oauth/connect/${key}?connect_session_token=${token}`);
		expect(page.status).toBe(401);
		expect(postedMessage(await page.text()).data.error?.type).toBe("invalid_connect_session");
	});

	it("refuses an expired session", async () => {
		const key = unique("custom");
		await createCustomConfig(key);
		const token = await createConnectSession();
		await env.DB.prepare("UPDATE connect_sessions SET expires_at = ?")
			.bind(Date.now() - 1)
			.run();
		expect((await sessionRequest("GET", token)).status).toBe(401);
		const page = await get(`/oauth/connect/${key}?connect_session_token=${token}`);
		expect(postedMessage(await page.text()).data.error?.type).toBe("invalid_connect_session");
	});
});

describe("flows under a connect session", () => {
	it("connects under a worker-chosen id and records the end user on the connection", async () => {
		const key = unique("custom");
		await createCustomConfig(key);
		mockToken("at-session");
		const token = await createConnectSession({
			end_user: { id: "u-3", display_name: "Cy", tags: { team: "blue" } },
			organization: { id: "org-9" },
			tags: { source: "onboarding" },
		});
		const message = await completeFlow(`/oauth/connect/${key}?connect_session_token=${token}`);
		expect(message.eventType).toBe("AUTHORIZATION_SUCEEDED");
		const connectionId = message.data.connectionId ?? "";
		expect(connectionId).toMatch(UUID);
		const endUser = {
			id: "u-3",
			email: null,
			display_name: "Cy",
			tags: { team: "blue" },
			organization: { id: "org-9", display_name: null },
		};
		for (const path of [
			`/connection/${connectionId}?provider_config_key=${key}`,
			`/connections/${connectionId}?provider_config_key=${key}`,
		]) {
			const read = await call("GET", path);
			expect(read.json).toMatchObject({ end_user: endUser, tags: { source: "onboarding" } });
			expect(read.json.credentials.access_token).toBe("at-session");
		}
	});

	it("refuses a connection_id sent with a session token, and integrations the session does not allow", async () => {
		const allowed = unique("custom");
		const other = unique("custom");
		await createCustomConfig(allowed);
		await createCustomConfig(other);
		const token = await createConnectSession({ end_user: { id: "u" }, allowed_integrations: [allowed] });
		const withId = await get(`/oauth/connect/${allowed}?connect_session_token=${token}&connection_id=victim`);
		expect(withId.status).toBe(400);
		expect(postedMessage(await withId.text()).data.error?.type).toBe("connection_id_not_allowed");
		const notAllowed = await get(`/oauth/connect/${other}?connect_session_token=${token}`);
		expect(notAllowed.status).toBe(403);
		expect(postedMessage(await notAllowed.text()).data.error?.type).toBe("integration_not_allowed");
		expect((await connect(`/oauth/connect/${allowed}?connect_session_token=${token}`)).host).toBe(
			"id.example.com",
		);
	});

	it("takes the backend's values over the browser's, and its authorization params", async () => {
		const key = unique("zendesk");
		await createConfig(key, { provider: "zendesk" });
		const token = await createConnectSession({
			end_user: { id: "u" },
			integrations_config_defaults: {
				[key]: { connection_config: { subdomain: "acme" }, authorization_params: { prompt: "consent" } },
			},
		});
		const location = await connect(
			`/oauth/connect/${key}?connect_session_token=${token}&params[subdomain]=other`,
		);
		expect(location.host).toBe("acme.zendesk.com");
		expect(location.searchParams.get("prompt")).toBe("consent");
	});

	it("reconnects: replaces the credentials of that one connection, keeping its config", async () => {
		const key = unique("sf");
		await createConfig(key, { provider: "salesforce" });
		await importConnection(key, "org-7", { connection_config: { hostname: "acme.my.salesforce.com" } });
		server.use(
			http.post("https://acme.my.salesforce.com/services/oauth2/token", () =>
				HttpResponse.json({ access_token: "at-reconnected", instance_url: "https://acme.my.salesforce.com" }),
			),
		);
		const created = await call("POST", "/connect/sessions/reconnect", {
			body: { connection_id: "org-7", integration_id: key, end_user: { id: "u-7" } },
		});
		expect(created.status).toBe(201);
		const token = created.json.data.token;
		expect((await sessionRequest("GET", token)).json.data).toMatchObject({ is_reconnect: true });
		const message = await completeFlow(`/oauth/connect/${key}?connect_session_token=${token}`);
		expect(message.data.connectionId).toBe("org-7");
		const read = await call("GET", `/connections/org-7?provider_config_key=${key}`);
		expect(read.json.credentials.access_token).toBe("at-reconnected");
		expect(read.json.end_user).toMatchObject({ id: "u-7" });

		const other = unique("custom");
		await createCustomConfig(other);
		const elsewhere = await get(`/oauth/connect/${other}?connect_session_token=${token}`);
		expect(postedMessage(await elsewhere.text()).data.error?.type).toBe("integration_not_allowed");
	});

	it("refuses a reconnect session for a connection that does not exist", async () => {
		const key = unique("custom");
		await createCustomConfig(key);
		const response = await call("POST", "/connect/sessions/reconnect", {
			body: { connection_id: "nobody", integration_id: key },
		});
		expect(response.status).toBe(404);
		expect(response.json.error.code).toBe("unknown_connection");
	});
});
