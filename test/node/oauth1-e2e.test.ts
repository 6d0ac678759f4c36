/**
 * OAuth 1.0a end to end (docs/flows.md#connect): the real worker against a loopback OAuth 1.0a provider that
 * checks every signature with the `oauth-1.0a` package; headless Chromium drives the published
 * @nangohq/frontend 0.8.0 client through request token → authorize → access token.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser.js";
import { type RunningWorker, startWorker, TEST_SECRET_KEY } from "../support/worker.js";
import { type OAuth1Server, startOAuth1Server } from "./support/oauth1-provider.js";
import { type Settled, type Site, startAuthorization, startSite } from "./support/published-frontends.js";

let worker: RunningWorker;
let provider: OAuth1Server;
let browser: Browser;
let site: Site;

const AUTH = { authorization: `Bearer ${TEST_SECRET_KEY}`, "content-type": "application/json" };

beforeAll(async () => {
	worker = await startWorker();
	[provider, browser, site] = await Promise.all([
		startOAuth1Server(),
		launchBrowser(),
		startSite(worker.url),
	]);
	const response = await fetch(`${worker.url}/config`, {
		method: "POST",
		headers: AUTH,
		body: JSON.stringify({
			provider_config_key: "oauth1",
			provider: "test-oauth1",
			auth_mode: "OAUTH1",
			oauth_client_id: provider.consumerKey,
			oauth_client_secret: provider.consumerSecret,
			oauth_scopes: "read",
			request_url: `${provider.url}/oauth/request_token`,
			authorization_url: `${provider.url}/oauth/authorize`,
			token_url: `${provider.url}/oauth/access_token`,
		}),
	});
	expect(response.status).toBe(200);
});

afterAll(async () => {
	await browser?.close();
	await Promise.all([site?.close(), provider?.stop()]);
	await worker?.stop();
});

async function authorize(connectionId: string, button: "#allow" | "#deny"): Promise<Settled> {
	const context = await browser.newContext();
	try {
		const { popup, result } = await startAuthorization(context, site, "nango080", "oauth1", connectionId);
		await popup.click(button);
		return await result;
	} finally {
		await context.close();
	}
}

describe("OAuth 1.0a with a published client", () => {
	it("request token → authorize → access token; the connection holds the token and its secret", async () => {
		const refusedBefore = provider.refused;
		const settled = await authorize("oauth1-user", "#allow");
		expect(settled).toEqual({
			ok: true,
			value: { providerConfigKey: "oauth1", connectionId: "oauth1-user", integrationKey: "oauth1" },
		});
		// Both signed requests verified; none refused.
		expect(provider.verified).toBeGreaterThanOrEqual(2);
		expect(provider.refused).toBe(refusedBefore);

		const response = await fetch(`${worker.url}/connection/oauth1-user?provider_config_key=oauth1`, {
			headers: AUTH,
		});
		const body = (await response.json()) as {
			credentials: {
				type: string;
				oauth_token: string;
				oauth_token_secret: string;
				raw: Record<string, string>;
			};
		};
		expect(body.credentials.type).toBe("OAUTH1");
		expect(provider.isIssued(body.credentials.oauth_token, body.credentials.oauth_token_secret)).toBe(true);
		expect(body.credentials.raw).toMatchObject({ user_id: "4242", screen_name: "alice" });
	});

	it("a refusal (denied=) rejects with callback_err and stores nothing", async () => {
		const settled = await authorize("oauth1-denied", "#deny");
		expect(settled).toMatchObject({
			ok: false,
			error: { connectionId: "oauth1-denied", error: { type: "callback_err", error: "access_denied" } },
		});
		const response = await fetch(`${worker.url}/connection/oauth1-denied?provider_config_key=oauth1`, {
			headers: AUTH,
		});
		expect(response.status).toBe(404);
	});
});
