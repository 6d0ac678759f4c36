// GitHub App connections (docs/github-app.md) against a stand-in for GitHub's endpoints that
// verifies the app's JWT with its public key: the config's private key sealed at rest and shown
// only where a client secret is, the install flow storing installation_id and the first
// installation token, refresh on expiry with one mint however many readers, and refusals that
// store nothing.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, createConfig, unique } from "./support/api";
import { type AppKeys, appKeys, GITHUB, type GitHubStandIn, githubStandIn } from "./support/github-app";
import { CALLBACK, connect, cookieJar, expectPage, get, postedMessage } from "./support/oauth-flow";
import { http, useProviderMocks } from "./support/provider-mocks";
import { countingRefresher, read, stored, until } from "./support/refresh";

const server = useProviderMocks();
const APP_ID = "123456";
const INSTALLATION = "98765432";

let keys: AppKeys;
let otherKeys: AppKeys;
beforeAll(async () => {
	[keys, otherKeys] = await Promise.all([appKeys(), appKeys()]);
});

/** GitHub's stand-in for this test, and an APP config (unique key) whose URLs point at it. */
async function app(privateKey = keys.pkcs1): Promise<{ key: string; github: GitHubStandIn }> {
	const github = githubStandIn(server, {
		appId: APP_ID,
		publicKey: keys.publicKey,
		installationId: INSTALLATION,
		callback: CALLBACK,
	});
	const key = unique("gh-app");
	await createConfig(key, {
		provider: "github-app",
		oauth_client_id: undefined,
		oauth_client_secret: undefined,
		oauth_scopes: undefined,
		app_id: APP_ID,
		app_private_key: privateKey,
		app_slug: "acme-bot",
		// The catalog's template stays GitHub's; this config points its two URLs at the stand-in.
		authorization_url: `${GITHUB}/apps/\${app_slug}/installations/new`,
		token_url: `${GITHUB}/app/installations/\${connectionConfig.installation_id}/access_tokens`,
	});
	return { key, github };
}

/** /oauth/connect, then the installation page (which redirects back), then the callback. */
async function install(key: string, connectionId: string, callbackQuery?: (query: URLSearchParams) => void) {
	const page = await connect(`/oauth/connect/${key}?connection_id=${encodeURIComponent(connectionId)}`);
	const fromGitHub = await fetch(page, { redirect: "manual" });
	const back = new URL(fromGitHub.headers.get("location") ?? "");
	callbackQuery?.(back.searchParams);
	return { page, callback: await get(`/oauth/callback?${back.searchParams}`) };
}

describe("GitHub App configs", () => {
	it("seal the private key: lists never show it, GET /config/:key does, as it does a client secret", async () => {
		const { key } = await app();
		const list = await call("GET", "/config");
		const listed = list.json.configs.find((row: { unique_key: string }) => row.unique_key === key);
		expect(listed).toMatchObject({ provider: "github-app", app_id: APP_ID, app_slug: "acme-bot" });
		expect(list.text).not.toContain("PRIVATE KEY");

		const one = await call("GET", `/config/${key}`);
		expect(one.json.config.app_private_key).toBe(keys.pkcs1);

		const row = await env.DB.prepare(
			"SELECT oauth_client_id, oauth_client_secret, app_slug FROM configs WHERE unique_key = ?",
		)
			.bind(key)
			.first<Record<string, string>>();
		expect(row).toMatchObject({ oauth_client_id: APP_ID, app_slug: "acme-bot" });
		const keyBody = keys.pkcs1.split("\n")[1] ?? "";
		expect(row?.oauth_client_secret).not.toContain("PRIVATE KEY");
		expect(row?.oauth_client_secret).not.toContain(keyBody.slice(0, 24));
	});

	it("refuse a body without its app fields, a key that cannot sign, and app fields on an OAuth template", async () => {
		const base = {
			provider_config_key: unique("gh-app"),
			provider: "github-app",
			app_id: APP_ID,
			app_slug: "acme-bot",
		};
		const cases: Array<[Record<string, unknown>, string]> = [
			[{ ...base, app_private_key: keys.pkcs8, app_slug: undefined }, "missing_app_slug"],
			[{ ...base }, "missing_app_private_key"],
			[{ ...base, app_private_key: keys.pkcs8, app_id: undefined }, "missing_app_id"],
			[{ ...base, app_private_key: keys.pkcs8, app_id: "12a" }, "invalid_app_id"],
			[{ ...base, app_private_key: keys.pkcs8, app_slug: "Acme Bot/.." }, "invalid_app_slug"],
			[
				{ ...base, app_private_key: "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----" },
				"invalid_app_private_key",
			],
			[{ ...base, app_private_key: "ssh-rsa AAAA" }, "invalid_app_private_key"],
			[{ ...base, app_private_key: keys.pkcs8, oauth_client_secret: "s" }, "invalid_body"],
			[
				{
					...base,
					provider: "github",
					app_private_key: keys.pkcs8,
					oauth_client_id: "c",
					oauth_client_secret: "s",
					oauth_scopes: "repo",
				},
				"invalid_body",
			],
		];
		for (const [body, code] of cases) {
			const response = await call("POST", "/config", { body });
			expect([response.status, response.json.code], JSON.stringify(body).slice(0, 120)).toEqual([400, code]);
		}
		expect((await call("GET", `/config/${base.provider_config_key}`)).status).toBe(404);
		// An OAuth config without its client is still refused with the early code.
		const oauth = await call("POST", "/config", {
			body: { provider_config_key: unique("gh"), provider: "github" },
		});
		expect(oauth.json.code).toBe("missing_client_id");
	});
});

describe("the install flow", () => {
	it("sends the user to the app's installation page with state, stores installation_id and the first token", async () => {
		const { key, github } = await app();
		const connectionId = unique("user");
		const { page, callback } = await install(key, connectionId);

		expect(`${page.origin}${page.pathname}`).toBe(`${GITHUB}/apps/acme-bot/installations/new`);
		expect(page.searchParams.get("state")).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expectPage(callback, 200);
		expect(postedMessage(await callback.text())).toMatchObject({
			eventType: "AUTHORIZATION_SUCEEDED",
			data: { connectionId, providerConfigKey: key },
		});

		// One mint, with a JWT the stand-in verified against the app's public key.
		expect(github.mints).toHaveLength(1);
		const [mint] = github.mints;
		expect(mint?.installationId).toBe(INSTALLATION);
		expect(mint?.accept).toBe("application/vnd.github+json");
		expect(mint?.claims?.iss).toBe(APP_ID);
		expect((mint?.claims?.exp ?? 0) - (mint?.claims?.iat ?? 0)).toBe(600);

		const connection = await call("GET", `/connection/${connectionId}?provider_config_key=${key}`);
		expect(connection.status).toBe(200);
		expect(connection.json.connection_config).toEqual({ installation_id: INSTALLATION });
		expect(connection.json.credentials).toMatchObject({ type: "APP", access_token: "ghs_token1" });
		expect(Date.parse(connection.json.credentials.expires_at) - Date.now()).toBeGreaterThan(50 * 60_000);
		expect(connection.json.credentials.raw).toEqual({
			expires_at: expect.any(String),
			permissions: { contents: "read", metadata: "read" },
			repository_selection: "all",
		});
		const sealed = await env.DB.prepare(
			"SELECT auth_mode, credentials FROM connections WHERE connection_id = ?",
		)
			.bind(connectionId)
			.first<Record<string, string>>();
		expect(sealed?.auth_mode).toBe("APP");
		expect(sealed?.credentials).not.toContain("ghs_token1");
	});

	it("takes a PKCS#8 key as well as GitHub's PKCS#1 download", async () => {
		const { key, github } = await app(keys.pkcs8);
		const { callback } = await install(key, unique("user"));
		expectPage(callback, 200);
		expect(github.mints[0]?.claims?.iss).toBe(APP_ID);
	});

	it("refuses an installation_id that is not digits, and one GitHub never sent, storing nothing", async () => {
		const { key, github } = await app();
		for (const bad of ["12/../../users", "1e3", "-1", "98765432 ", ""]) {
			const connectionId = unique("user");
			const { callback } = await install(key, connectionId, (query) => query.set("installation_id", bad));
			expectPage(callback, 400);
			expect(postedMessage(await callback.text()).data.error?.type).toBe("callback_err");
			expect(await stored(key, connectionId)).toBeUndefined();
		}
		const connectionId = unique("user");
		const { callback } = await install(key, connectionId, (query) => {
			query.delete("installation_id");
			query.set("setup_action", "request");
		});
		expectPage(callback, 400);
		expect(postedMessage(await callback.text()).data.error?.message).toContain("owner's approval");
		expect(await stored(key, connectionId)).toBeUndefined();
		expect(github.mints).toHaveLength(0);
	});

	it("with a key GitHub does not know, reports GitHub's refusal and stores nothing", async () => {
		const { key, github } = await app(otherKeys.pkcs1);
		const connectionId = unique("user");
		const { callback } = await install(key, connectionId);
		expectPage(callback, 502);
		const { error } = postedMessage(await callback.text()).data;
		expect(error?.type).toBe("token_err");
		expect(error?.message).toContain("minting the installation token");
		expect(error?.message).toContain("A JSON web token could not be decoded");
		expect(github.mints).toHaveLength(1);
		expect(github.mints[0]?.claims).toBeUndefined();
		expect(await stored(key, connectionId)).toBeUndefined();
	});

	it("keeps the flow's protections: the browser that started it, and who may start it", async () => {
		const { key, github } = await app();
		const connectionId = unique("user");
		const page = await connect(`/oauth/connect/${key}?connection_id=${connectionId}`);
		const back = new URL((await fetch(page, { redirect: "manual" })).headers.get("location") ?? "");
		cookieJar.clear(); // another browser
		const callback = await get(`/oauth/callback?${back.searchParams}`);
		expectPage(callback, 400);
		expect(postedMessage(await callback.text()).data.error?.type).toBe("state_err");
		expect(github.mints).toHaveLength(0);

		// Off loopback, a page may not start a flow without a connect session or an hmac.
		const deployed = await get(
			`https://nango.example.com/oauth/connect/${key}?connection_id=${connectionId}`,
		);
		expect(deployed.status).toBe(401);
		expect(postedMessage(await deployed.text()).data.error?.type).toBe("missing_connect_session_token");
	});
});

describe("installation tokens", () => {
	it("are minted again once expired, once for all concurrent readers, and stored before they are served", async () => {
		const { key, github } = await app();
		// GitHub's first token is already past its expires_at (as an hour later): the next read must mint.
		github.expiresAt = () => new Date(Date.now() - 1000);
		const connectionId = unique("user");
		expectPage((await install(key, connectionId)).callback, 200);
		github.expiresAt = () => new Date(Date.now() + 3600_000);

		let release = () => {};
		github.hold = new Promise<void>((resolve) => {
			release = resolve;
		});
		const refresher = countingRefresher();
		const reads = Array.from({ length: 40 }, () => read(key, connectionId, "", refresher.env));
		// Every reader found the token stale and asked the connection's object while GitHub holds its answer.
		await until(() => refresher.counted.stubs === 40 && github.mints.length === 2);
		release();
		const answers = await Promise.all(reads);

		expect(github.mints).toHaveLength(2);
		expect(github.mints[1]?.claims?.iss).toBe(APP_ID);
		expect(answers.map((answer) => answer.status)).toEqual(Array(40).fill(200));
		expect(new Set(answers.map((answer) => answer.json.credentials.access_token))).toEqual(
			new Set(["ghs_token2"]),
		);
		const row = await stored(key, connectionId);
		expect(row?.credentials).toMatchObject({ type: "APP", access_token: "ghs_token2" });
		expect(row?.connectionConfig).toEqual({ installation_id: INSTALLATION });

		// Fresh for the next hour: no further mint.
		github.hold = undefined;
		expect((await read(key, connectionId)).json.credentials.access_token).toBe("ghs_token2");
		expect(github.mints).toHaveLength(2);
		// force_refresh mints now.
		expect((await read(key, connectionId, "&force_refresh=true")).json.credentials.access_token).toBe(
			"ghs_token3",
		);
	});

	it("answer a clear error when GitHub refuses a refresh (the app was uninstalled)", async () => {
		const { key, github } = await app();
		const connectionId = unique("user");
		expectPage((await install(key, connectionId)).callback, 200);
		// The installation is gone: GitHub answers 404 for its id.
		server.use(
			http.post(`${GITHUB}/app/installations/:id/access_tokens`, () =>
				Response.json({ message: "Not Found" }, { status: 404 }),
			),
		);
		const answer = await read(key, connectionId, "&force_refresh=true");
		expect(answer.status).toBe(502);
		expect(answer.json).toMatchObject({ code: "refresh_failed" });
		expect(answer.json.error).toContain("Not Found");
		expect(github.mints).toHaveLength(1);
		expect((await stored(key, connectionId))?.credentials).toMatchObject({ access_token: "ghs_token1" });
	});
});
