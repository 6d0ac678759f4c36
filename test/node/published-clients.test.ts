/**
 * The published clients, installed from npm and used unchanged, against the real worker
 * (docs/api.md#connections and docs/api.md#modern-aliases): @nangohq/node 0.9.0 (axios, Basic auth, /connection), @nangohq/node 0.71.10
 * (Bearer, /connections and /integrations) and @nangohq/pizzly-node 0.5.2.
 */
import { Nango as ModernNango } from "@nangohq/node";
import { Pizzly } from "@nangohq/pizzly-node";
import { Nango as EarlyNango } from "nango-node-090";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningWorker, startWorker, TEST_SECRET_KEY } from "../support/worker.js";

const RAW = { access_token: "gho_published", token_type: "bearer", scope: "repo", expires_in: 28800 };
const EMAIL_ID = "alice@example.com";

let worker: RunningWorker;

async function api(method: string, path: string, body?: unknown): Promise<Response> {
	const response = await fetch(`${worker.url}${path}`, {
		method,
		headers: { Authorization: `Bearer ${TEST_SECRET_KEY}`, "Content-Type": "application/json" },
		...(body === undefined ? {} : { body: JSON.stringify(body) }),
	});
	if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
	return response;
}

/** The axios error's response, for clients that surface HTTP failures as axios errors. */
async function failure(promise: Promise<unknown>): Promise<{ status?: number; data?: unknown }> {
	try {
		await promise;
	} catch (error) {
		return (error as { response?: { status?: number; data?: unknown } }).response ?? {};
	}
	throw new Error("expected the call to fail");
}

beforeAll(async () => {
	worker = await startWorker();
	const providers = (await (await api("GET", "/providers")).json()) as {
		providers: { key: string; auth_mode: string }[];
	};
	const oauth1 = providers.providers.find((provider) => provider.auth_mode === "OAUTH1");
	if (!oauth1) throw new Error("the catalog has no OAuth 1.0a template");
	for (const [key, provider] of [
		["github", "github"],
		["gitlab", "gitlab"],
		["legacy", oauth1.key],
	] as const) {
		await api("POST", "/config", {
			provider_config_key: key,
			provider,
			oauth_client_id: "client-id",
			oauth_client_secret: "client-secret",
			oauth_scopes: "read",
		});
	}
	await api("POST", "/connection", {
		provider_config_key: "github",
		connection_id: EMAIL_ID,
		access_token: RAW.access_token,
		refresh_token: "ghr_published",
		expires_at: "2099-01-01T00:00:00Z",
		raw: RAW,
	});
	await api("POST", "/connection", {
		provider_config_key: "gitlab",
		connection_id: "u-2",
		access_token: "glpat",
	});
	await api("POST", "/connection", {
		provider_config_key: "legacy",
		connection_id: "bob",
		oauth_token: "oauth-token-1",
		oauth_token_secret: "oauth-secret-1",
	});
});

afterAll(async () => {
	await worker?.stop();
});

describe("@nangohq/node 0.9.0 (Basic auth, early routes)", () => {
	const nango = () => new EarlyNango({ host: `${worker.url}/`, secretKey: TEST_SECRET_KEY });

	it("getToken answers the access token, or the OAuth 1.0a pair", async () => {
		expect(await nango().getToken("github", EMAIL_ID)).toBe(RAW.access_token);
		expect(await nango().getToken("legacy", "bob")).toEqual({
			oAuthToken: "oauth-token-1",
			oAuthTokenSecret: "oauth-secret-1",
		});
	});

	it("getRawTokenResponse and getConnection answer the stored response and the connection", async () => {
		expect(await nango().getRawTokenResponse("github", EMAIL_ID)).toEqual(RAW);
		const connection = await nango().getConnection("github", EMAIL_ID);
		expect(connection).toMatchObject({
			provider_config_key: "github",
			connection_id: EMAIL_ID,
			credentials: { type: "OAUTH2", access_token: RAW.access_token, refresh_token: "ghr_published" },
		});
	});

	it("listConnections answers {connections} whose `provider` holds the config key", async () => {
		const { connections } = await nango().listConnections();
		expect(connections).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ connection_id: EMAIL_ID, provider: "github" }),
				expect.objectContaining({ connection_id: "u-2", provider: "gitlab" }),
			]),
		);
	});

	it("a wrong secret is a 401 whose body the early CLI can print (`data.error`)", async () => {
		const response = await failure(
			new EarlyNango({ host: worker.url, secretKey: "wrong" }).getToken("github", EMAIL_ID),
		);
		expect(response.status).toBe(401);
		expect(response.data).toEqual({ error: "The secret key is invalid.", code: "invalid_secret_key" });
	});
});

describe("@nangohq/node 0.71.10 (Bearer, plural routes)", () => {
	const nango = () => new ModernNango({ host: worker.url, secretKey: TEST_SECRET_KEY });

	it("getToken, getRawTokenResponse and getConnection work", async () => {
		expect(await nango().getToken("github", EMAIL_ID)).toBe(RAW.access_token);
		expect(await nango().getToken("legacy", "bob")).toEqual({
			oAuthToken: "oauth-token-1",
			oAuthTokenSecret: "oauth-secret-1",
		});
		expect(await nango().getRawTokenResponse("github", EMAIL_ID)).toEqual(RAW);
		const connection = await nango().getConnection("github", EMAIL_ID);
		expect(connection).toMatchObject({
			connection_id: EMAIL_ID,
			credentials: { access_token: RAW.access_token },
		});
		// As in Nango: the refresh token only when asked for.
		expect(connection.credentials).not.toHaveProperty("refresh_token");
		const withRefresh = await nango().getConnection("github", EMAIL_ID, false, true);
		expect(withRefresh.credentials).toHaveProperty("refresh_token", "ghr_published");
	});

	it("listConnections answers every connection and filters by integration", async () => {
		const all = await nango().listConnections();
		expect(all.connections.map((item) => item.connection_id)).toEqual(
			expect.arrayContaining([EMAIL_ID, "u-2", "bob"]),
		);
		const gitlab = await nango().listConnections({ integrationId: "gitlab" });
		expect(gitlab.connections.map((item) => item.connection_id)).toEqual(["u-2"]);
	});

	it("listIntegrations and getIntegration answer the configs", async () => {
		const { configs } = await nango().listIntegrations();
		expect(configs.map((config) => [config.unique_key, config.provider])).toEqual(
			expect.arrayContaining([
				["github", "github"],
				["gitlab", "gitlab"],
			]),
		);
		const integration = await nango().getIntegration({ uniqueKey: "github" });
		expect(integration).toMatchObject({ data: { unique_key: "github", provider: "github" } });
	});

	it("deleteConnection deletes; the next read is a 404 unknown_connection", async () => {
		await api("POST", "/connection", {
			provider_config_key: "gitlab",
			connection_id: "to-delete",
			access_token: "t",
		});
		await nango().deleteConnection("gitlab", "to-delete");
		const response = await failure(nango().getConnection("gitlab", "to-delete"));
		expect(response.status).toBe(404);
		expect(response.data).toMatchObject({ code: "unknown_connection" });
	});
});

describe("@nangohq/pizzly-node 0.5.2", () => {
	beforeAll(() => {
		// Pizzly 0.5.2 builds its Basic header from this variable, not from its constructor argument.
		process.env.PIZZLY_SECRET_KEY = TEST_SECRET_KEY;
	});
	afterAll(() => {
		delete process.env.PIZZLY_SECRET_KEY;
	});
	const pizzly = () => new Pizzly(worker.url, TEST_SECRET_KEY);

	it("accessToken, rawTokenResponse and connection work", async () => {
		expect(await pizzly().accessToken("github", EMAIL_ID)).toBe(RAW.access_token);
		expect(await pizzly().accessToken("legacy", "bob")).toEqual({
			oAuthToken: "oauth-token-1",
			oAuthTokenSecret: "oauth-secret-1",
		});
		expect(await pizzly().rawTokenResponse("github", EMAIL_ID)).toEqual(RAW);
		expect(await pizzly().connection("github", EMAIL_ID)).toMatchObject({
			connection_id: EMAIL_ID,
			credentials: { type: "OAUTH2", access_token: RAW.access_token },
		});
	});
});
