/**
 * Credentials the user types in, end to end (docs/credential-auth.md): the real worker, today's
 * published @nangohq/frontend 0.71 in Chromium calling `auth(key, {credentials: {apiKey}})` and
 * `{credentials: {username, password}}` under a connect session from today's @nangohq/node 0.71,
 * an API on loopback that checks the credentials the worker verifies with, and client
 * credentials against oidc-provider's client_credentials grant: created by the same frontend's
 * `auth(key, {credentials: {client_id, client_secret}})` (`POST /oauth2/auth/:key`), then 100
 * concurrent `getToken` calls of today's @nangohq/node on an expired token make exactly one grant.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Nango } from "@nangohq/node";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser.js";
import { type OidcServer, startOidcServer } from "../support/oidc.js";
import { type RunningWorker, startWorker, TEST_SECRET_KEY } from "../support/worker.js";
import { credentialsAuthorization, type Site, startSite } from "./support/published-frontends.js";

const AUTH = { authorization: `Bearer ${TEST_SECRET_KEY}`, "content-type": "application/json" };
const CC_TTL_SECONDS = 4;

let worker: RunningWorker;
let idp: OidcServer;
let browser: Browser;
let context: BrowserContext;
let site: Site;
let api: Server;
let nango: Nango;

beforeAll(async () => {
	// The provider's API: /me answers 200 only for the right key or the right basic credentials.
	api = createServer((req, res) => {
		const okKey = req.headers["x-api-key"] === "key-right";
		const okBasic = req.headers.authorization === `Basic ${Buffer.from("ada:pw-right").toString("base64")}`;
		res.writeHead(req.url === "/me" && (okKey || okBasic) ? 200 : 401, {
			"content-type": "application/json",
		});
		res.end("{}");
	});
	await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
	const apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
	worker = await startWorker();
	[idp, browser, site] = await Promise.all([
		startOidcServer({ redirectUri: `${worker.url}/oauth/callback`, clientCredentialsTtl: CC_TTL_SECONDS }),
		launchBrowser(),
		startSite(worker.url),
	]);
	context = await browser.newContext();
	nango = new Nango({ host: worker.url, secretKey: TEST_SECRET_KEY });
	for (const [key, mode, headers] of [
		["keyed-api", "API_KEY", { "x-api-key": "${apiKey}" }],
		["basic-api", "BASIC", undefined],
	] as const) {
		const created = await fetch(`${worker.url}/config`, {
			method: "POST",
			headers: AUTH,
			body: JSON.stringify({
				provider_config_key: key,
				provider: `custom-${key}`,
				auth_mode: mode,
				proxy: { base_url: apiUrl, ...(headers ? { headers } : {}) },
				verification: { method: "GET", endpoints: ["/me"] },
			}),
		});
		expect(created.status).toBe(200);
	}
	const cc = await fetch(`${worker.url}/config`, {
		method: "POST",
		headers: AUTH,
		body: JSON.stringify({
			provider_config_key: "service",
			provider: "custom-service",
			auth_mode: "OAUTH2_CC",
			token_url: idp.tokenUrl,
		}),
	});
	expect(cc.status).toBe(200);
});

afterAll(async () => {
	await browser?.close();
	await Promise.all([site?.close(), idp?.stop(), worker?.stop()]);
	await new Promise((resolve) => api?.close(resolve));
});

async function sessionFor(key: string): Promise<string> {
	const session = await nango.createConnectSession({
		end_user: { id: "user-7", email: "seven@example.test" },
		allowed_integrations: [key],
	});
	return session.data.token;
}

describe("today's @nangohq/frontend with typed-in credentials", () => {
	it("connects an API key; today's @nangohq/node reads it back", async () => {
		const result = await credentialsAuthorization(context, site, "keyed-api", await sessionFor("keyed-api"), {
			apiKey: "key-right",
		});
		expect(result.ok).toBe(true);
		const { connectionId, providerConfigKey } = (
			result as { value: { connectionId: string; providerConfigKey: string } }
		).value;
		expect(providerConfigKey).toBe("keyed-api");
		const connection = (await nango.getConnection("keyed-api", connectionId)) as unknown as {
			credentials: unknown;
			end_user: unknown;
		};
		expect(connection.credentials).toEqual({ type: "API_KEY", apiKey: "key-right" });
		expect(connection.end_user).toMatchObject({ id: "user-7" });
		expect(await nango.getToken("keyed-api", connectionId)).toEqual({ type: "API_KEY", apiKey: "key-right" });
	});

	it("rejects a key the provider refuses with today's error type, and stores nothing", async () => {
		const before = (await nango.listConnections()).connections.length;
		const result = await credentialsAuthorization(context, site, "keyed-api", await sessionFor("keyed-api"), {
			apiKey: "key-wrong",
		});
		expect(result).toMatchObject({ ok: false, error: { type: "connection_test_failed" } });
		expect((await nango.listConnections()).connections.length).toBe(before);
	});

	it("connects basic credentials", async () => {
		const result = await credentialsAuthorization(context, site, "basic-api", await sessionFor("basic-api"), {
			username: "ada",
			password: "pw-right",
		});
		expect(result.ok).toBe(true);
		const { connectionId } = (result as { value: { connectionId: string } }).value;
		const connection = (await nango.getConnection("basic-api", connectionId)) as unknown as {
			credentials: unknown;
		};
		expect(connection.credentials).toEqual({ type: "BASIC", username: "ada", password: "pw-right" });
		expect(await nango.getToken("basic-api", connectionId)).toEqual({
			type: "BASIC",
			username: "ada",
			password: "pw-right",
		});
	});
});

describe("client credentials against a real authorization server", () => {
	it("a wrong client secret is refused at creation and stores nothing", async () => {
		const before = idp.grants.client_credentials;
		const stored = (await nango.listConnections()).connections.length;
		const result = await credentialsAuthorization(context, site, "service", await sessionFor("service"), {
			client_id: idp.serviceClient.id,
			client_secret: "not-the-secret",
		});
		expect(result).toMatchObject({ ok: false, error: { type: "connection_test_failed" } });
		expect(idp.grants.client_credentials).toBe(before);
		expect((await nango.listConnections()).connections.length).toBe(stored);
	});

	it("today's frontend connects a client (POST /oauth2/auth/:key); one grant for 100 readers once it expires", async () => {
		const before = idp.grants.client_credentials;
		const created = await credentialsAuthorization(context, site, "service", await sessionFor("service"), {
			client_id: idp.serviceClient.id,
			client_secret: idp.serviceClient.secret,
		});
		expect(created.ok).toBe(true);
		const { connectionId } = (created as { value: { connectionId: string } }).value;
		expect(idp.grants.client_credentials).toBe(before + 1);
		const first = (await nango.getConnection("service", connectionId)) as unknown as {
			credentials: { type: string; token: string; expires_at: string; client_id: string };
			end_user: unknown;
		};
		expect(first.credentials).toMatchObject({ type: "OAUTH2_CC", client_id: idp.serviceClient.id });
		expect(first.end_user).toMatchObject({ id: "user-7" });
		expect(await idp.isActive(first.credentials.token)).toBe(true);

		await new Promise((resolve) =>
			setTimeout(resolve, Date.parse(first.credentials.expires_at) - Date.now() + 100),
		);
		// today's @nangohq/node, 100 callers at once: each gets the credentials of one new grant
		const reads = (await Promise.all(
			Array.from({ length: 100 }, () => nango.getToken("service", connectionId)),
		)) as unknown as { token: string }[];
		const tokens = new Set(reads.map((read) => read.token));
		expect(tokens.size).toBe(1);
		expect(tokens.has(first.credentials.token)).toBe(false);
		expect(idp.grants.client_credentials).toBe(before + 2);
		expect(await idp.isActive([...tokens][0] ?? "")).toBe(true);
	}, 30_000);
});
