// The callback (docs/flows.md#callback): the code exchange through the engine (client auth and body format per
// template), metadata capture, the connection stored before success, provider errors carried to
// the page, and a session that is single use and expires.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createConnectSession, readConnection, unique } from "./support/api";
import {
	CALLBACK,
	connect,
	createConfig,
	createCustomConfig,
	expectPage,
	flowState,
	get,
	postedMessage,
} from "./support/oauth-flow";
import { HttpResponse, http, useProviderMocks } from "./support/provider-mocks";

const server = useProviderMocks();

const TOKEN_URL = "https://id.example.com/token";
const TOKENS = { access_token: "at-1", refresh_token: "rt-1", expires_in: 3600, token_type: "bearer" };

/** Answers the token endpoint at `url` and records the requests (their bodies read as bytes). */
function tokenEndpoint(url: string, answer: () => Response = () => HttpResponse.json(TOKENS)) {
	const seen: Array<{ headers: Headers; body: string }> = [];
	server.use(
		http.post(url, async ({ request }) => {
			seen.push({ headers: request.headers, body: new TextDecoder().decode(await request.arrayBuffer()) });
			return answer();
		}),
	);
	return seen;
}

describe("OAuth 2 callback", () => {
	it("exchanges the code with the PKCE verifier in the body, stores the connection, then reports success", async () => {
		const key = unique("custom");
		await createCustomConfig(key);
		const seen = tokenEndpoint(TOKEN_URL);
		const state = await flowState(key, "user-1");
		const page = await get(`/oauth/callback?code=the-code&state=${state}`);
		expectPage(page, 200);
		expect(postedMessage(await page.text())).toEqual({
			eventType: "AUTHORIZATION_SUCEEDED",
			data: { connectionId: "user-1", providerConfigKey: key, integrationKey: key },
		});
		expect(seen).toHaveLength(1);
		expect(seen[0]?.headers.get("authorization")).toBeNull();
		expect(seen[0]?.headers.get("accept")).toBe("application/json");
		expect(seen[0]?.headers.get("content-type")).toBe("application/x-www-form-urlencoded");
		const form = Object.fromEntries(new URLSearchParams(seen[0]?.body));
		expect(form).toEqual({
			grant_type: "authorization_code",
			code: "the-code",
			redirect_uri: CALLBACK,
			code_verifier: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
			client_id: "client-id",
			client_secret: "client-secret",
		});
		const stored = await readConnection(key, "user-1");
		expect(stored.status).toBe(200);
		expect(stored.json.credentials).toMatchObject({
			type: "OAUTH2",
			access_token: "at-1",
			refresh_token: "rt-1",
		});
		expect(Date.parse(stored.json.credentials.expires_at) - Date.now()).toBeGreaterThan(3500_000);
		expect(stored.json.credentials.raw).toEqual(TOKENS);
	});

	it("authenticates with HTTP Basic and sends a JSON body when the template says so", async () => {
		const key = unique("basic");
		await createCustomConfig(key, { token_request_auth_method: "basic", body_format: "json" });
		const seen = tokenEndpoint(TOKEN_URL);
		const state = await flowState(key, "u");
		expect((await get(`/oauth/callback?code=c0de&state=${state}`)).status).toBe(200);
		expect(seen[0]?.headers.get("authorization")).toBe(`Basic ${btoa("client-id:client-secret")}`);
		expect(seen[0]?.headers.get("content-type")).toBe("application/json");
		const body = JSON.parse(seen[0]?.body ?? "");
		expect(body).toMatchObject({ grant_type: "authorization_code", code: "c0de", redirect_uri: CALLBACK });
		expect(body).not.toHaveProperty("client_secret");
	});

	it("GitHub: an error with status 200 is a token_err carrying GitHub's text, and nothing is stored", async () => {
		const key = unique("github");
		await createConfig(key, { provider: "github" });
		tokenEndpoint("https://github.com/login/oauth/access_token", () =>
			HttpResponse.json({
				error: "bad_verification_code",
				error_description: "The code passed is incorrect or expired.",
				error_uri: "https://docs.github.com/apps/troubleshooting",
			}),
		);
		const state = await flowState(key, "octocat");
		const page = await get(`/oauth/callback?code=stale&state=${state}`);
		expectPage(page, 502);
		expect(postedMessage(await page.text()).data).toEqual({
			connectionId: "octocat",
			providerConfigKey: key,
			integrationKey: key,
			error: {
				type: "token_err",
				message: expect.stringContaining("The code passed is incorrect or expired."),
				error: "bad_verification_code",
				error_description: "The code passed is incorrect or expired.",
			},
		});
		expect((await readConnection(key, "octocat")).status).toBe(404);
	});

	it("QuickBooks: keeps the realmId callback parameter in metadata", async () => {
		const key = unique("qb");
		await createConfig(key, { provider: "quickbooks", oauth_scopes: "com.intuit.quickbooks.accounting" });
		tokenEndpoint("https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer");
		const state = await flowState(key, "company-1");
		const page = await get(`/oauth/callback?code=c&state=${state}&realmId=4620816365178345780`);
		expect(page.status).toBe(200);
		const stored = await readConnection(key, "company-1");
		expect(stored.json.metadata).toEqual({ realmId: "4620816365178345780" });
	});

	it("Salesforce: keeps instance_url from the token response and the connection config it used", async () => {
		const key = unique("sf");
		await createConfig(key, { provider: "salesforce", oauth_scopes: "api" });
		const seen = tokenEndpoint("https://acme.my.salesforce.com/services/oauth2/token", () =>
			HttpResponse.json({
				...TOKENS,
				instance_url: "https://acme.my.salesforce.com",
				id: "https://login/id/1",
			}),
		);
		// The host comes from the app's backend: a connect session's defaults (docs/flows.md#who-chooses-a-host).
		const token = await createConnectSession({
			end_user: { id: "org-owner" },
			integrations_config_defaults: { [key]: { connection_config: { hostname: "acme.my.salesforce.com" } } },
		});
		const location = await connect(`/oauth/connect/${key}?connect_session_token=${token}`);
		expect(location.origin).toBe("https://acme.my.salesforce.com");
		const page = await get(`/oauth/callback?code=c&state=${location.searchParams.get("state")}`);
		expect(page.status).toBe(200);
		expect(seen).toHaveLength(1);
		const connectionId = postedMessage(await page.text()).data.connectionId ?? "";
		const stored = await readConnection(key, connectionId);
		expect(stored.json.metadata).toEqual({ instance_url: "https://acme.my.salesforce.com" });
		expect(stored.json.connection_config).toEqual({ hostname: "acme.my.salesforce.com" });
	});

	it("carries the provider's error and error_description from the callback as a callback_err", async () => {
		const key = unique("custom");
		await createCustomConfig(key);
		const seen = tokenEndpoint(TOKEN_URL);
		const state = await flowState(key, "u");
		const page = await get(
			`/oauth/callback?error=access_denied&error_description=The+user+said+no&state=${state}`,
		);
		expectPage(page, 400);
		expect(postedMessage(await page.text()).data.error).toEqual({
			type: "callback_err",
			message: "The provider answered access_denied: The user said no",
			error: "access_denied",
			error_description: "The user said no",
		});
		expect(seen).toHaveLength(0);
		const noCode = await get(`/oauth/callback?state=${await flowState(key, "u")}`);
		expect(postedMessage(await noCode.text()).data.error?.type).toBe("callback_err");
	});

	it("reports an unreadable or failed token response as token_err", async () => {
		const key = unique("custom");
		await createCustomConfig(key);
		tokenEndpoint(TOKEN_URL, () => new HttpResponse("<html>maintenance</html>", { status: 503 }));
		const page = await get(`/oauth/callback?code=c&state=${await flowState(key, "u")}`);
		expectPage(page, 502);
		expect(postedMessage(await page.text()).data.error).toEqual({
			type: "token_err",
			message: expect.stringContaining("HTTP 503"),
		});
	});

	it("a new authorization replaces the credentials and clears needs_reauth", async () => {
		const key = unique("custom");
		await createCustomConfig(key);
		tokenEndpoint(TOKEN_URL);
		await get(`/oauth/callback?code=c&state=${await flowState(key, "again")}`);
		await env.DB.prepare("UPDATE connections SET needs_reauth = 1 WHERE provider_config_key = ?")
			.bind(key)
			.run();
		server.resetHandlers();
		tokenEndpoint(TOKEN_URL, () => HttpResponse.json({ access_token: "at-2" }));
		await get(`/oauth/callback?code=c&state=${await flowState(key, "again")}`);
		const stored = await readConnection(key, "again");
		expect(stored.json.credentials.access_token).toBe("at-2");
		expect(stored.json.needs_reauth).toBe(false);
	});
});

describe("flow sessions", () => {
	it("answers state_err for a missing or unknown state, never a crash", async () => {
		const missing = await get("/oauth/callback?code=c");
		expectPage(missing, 400);
		expect(postedMessage(await missing.text())).toEqual({
			eventType: "AUTHORIZATION_FAILED",
			data: { error: { type: "state_err", message: expect.any(String) } },
		});
		const unknown = await get("/oauth/callback?code=c&state=forged-state-value");
		expect(postedMessage(await unknown.text()).data.error?.type).toBe("state_err");
	});

	it("is single use: a replayed callback fails and the code is exchanged once", async () => {
		const key = unique("custom");
		await createCustomConfig(key);
		const seen = tokenEndpoint(TOKEN_URL);
		const state = await flowState(key, "u");
		const [first, second] = await Promise.all([
			get(`/oauth/callback?code=c&state=${state}`),
			get(`/oauth/callback?code=c&state=${state}`),
		]);
		expect([first.status, second.status].sort()).toEqual([200, 400]);
		const replay = await get(`/oauth/callback?code=c&state=${state}`);
		expect(postedMessage(await replay.text()).data.error?.type).toBe("state_err");
		expect(seen).toHaveLength(1);
	});

	it("expires after ten minutes", async () => {
		const key = unique("custom");
		await createCustomConfig(key);
		const seen = tokenEndpoint(TOKEN_URL);
		const state = await flowState(key, "late");
		await env.DB.prepare("UPDATE oauth_sessions SET expires_at = ? WHERE id = ?")
			.bind(Date.now() - 1, state)
			.run();
		const page = await get(`/oauth/callback?code=c&state=${state}`);
		expectPage(page, 400);
		expect(postedMessage(await page.text()).data.error?.type).toBe("state_err");
		expect(seen).toHaveLength(0);
		expect((await readConnection(key, "late")).status).toBe(404);
	});

	it("is sealed and bound to its row: a payload moved onto another session fails to open", async () => {
		const key = unique("custom");
		await createCustomConfig(key);
		tokenEndpoint(TOKEN_URL);
		const a = await flowState(key, "alice");
		const b = await flowState(key, "bob");
		await env.DB.prepare(
			"UPDATE oauth_sessions SET payload = (SELECT payload FROM oauth_sessions WHERE id = ?) WHERE id = ?",
		)
			.bind(a, b)
			.run();
		const page = await get(`/oauth/callback?code=c&state=${b}`);
		expect(postedMessage(await page.text()).data.error?.type).toBe("unknown_err");
		expect((await readConnection(key, "bob")).status).toBe(404);
	});
});
