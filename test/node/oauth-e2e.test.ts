/**
 * The OAuth dance end to end (docs/flows.md#connect, docs/flows.md#reporting-the-result): the real worker, a real authorization server
 * (oidc-provider: PKCE required, confidential client), headless Chromium clicking through its
 * login and consent pages in the popup, and the *published* browser clients of the early
 * server: @nangohq/frontend 0.8.0 (postMessage), 0.9.0 (WebSocket) and Pizzly 0.5.2.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser.js";
import { type OidcServer, registerIdp, startOidcServer } from "../support/oidc.js";
import { type RunningWorker, startWorker, TEST_SECRET_KEY } from "../support/worker.js";
import {
	type ClientName,
	type Settled,
	type Site,
	startAuthorization,
	startSite,
} from "./support/published-frontends.js";

let worker: RunningWorker;
let idp: OidcServer;
/** the same server, but its pages send Cross-Origin-Opener-Policy: same-origin */
let coopIdp: OidcServer;
let browser: Browser;
let site: Site;

const AUTH = { authorization: `Bearer ${TEST_SECRET_KEY}`, "content-type": "application/json" };

function createConfig(key: string, server: OidcServer): Promise<void> {
	// oidc-provider issues offline_access only with an explicit consent prompt.
	return registerIdp(server, { url: worker.url, secretKey: TEST_SECRET_KEY }, key, {
		authorization_params: { prompt: "consent" },
	});
}

beforeAll(async () => {
	worker = await startWorker();
	const redirectUri = `${worker.url}/oauth/callback`;
	[idp, coopIdp, browser, site] = await Promise.all([
		startOidcServer({ redirectUri }),
		startOidcServer({ redirectUri, crossOriginOpenerPolicy: true }),
		launchBrowser(),
		startSite(worker.url),
	]);
	await createConfig("idp", idp);
	await createConfig("idp-coop", coopIdp);
});

afterAll(async () => {
	await browser?.close();
	await Promise.all([site?.close(), idp?.stop(), coopIdp?.stop()]);
	await worker?.stop();
});

/** In a fresh browser profile (no IdP session), starts `client.auth()` on the app's page. */
async function authorize(
	client: ClientName,
	key: string,
	connectionId: string,
): Promise<{ context: BrowserContext; popup: Page; result: Promise<Settled> }> {
	const context = await browser.newContext();
	return { context, ...(await startAuthorization(context, site, client, key, connectionId)) };
}

/** The user signs in (any login and password) and consents, or cancels. */
async function walkIdp(popup: Page, choice: "consent" | "cancel"): Promise<void> {
	await popup.waitForSelector('input[name="login"]');
	await popup.fill('input[name="login"]', "alice");
	await popup.fill('input[name="password"]', "any");
	await popup.click('button[type="submit"]');
	await popup.waitForSelector('button:has-text("Continue")');
	if (choice === "cancel") await popup.click('a:has-text("[ Cancel ]")');
	else await popup.click('button:has-text("Continue")');
}

async function storedAccessToken(key: string, connectionId: string): Promise<string> {
	const response = await fetch(
		`${worker.url}/connection/${encodeURIComponent(connectionId)}?provider_config_key=${key}`,
		{ headers: AUTH },
	);
	expect(response.status).toBe(200);
	const body = (await response.json()) as { credentials: { access_token: string; refresh_token?: string } };
	expect(body.credentials.refresh_token).toBeTruthy();
	return body.credentials.access_token;
}

describe("published browser clients against the real worker and a real authorization server", () => {
	const cases: Array<[ClientName, string]> = [
		["nango080", "@nangohq/frontend 0.8.0 (postMessage)"],
		["nango090", "@nangohq/frontend 0.9.0 (WebSocket)"],
		["pizzly", "@nangohq/pizzly-frontend 0.5.2 (postMessage)"],
	];
	for (const [client, label] of cases) {
		it(`${label}: consent resolves, and the stored token is active at the provider`, async () => {
			const connectionId = `${client}-user@example.com`;
			const grantsBefore = idp.grants.authorization_code;
			const { context, popup, result } = await authorize(client, "idp", connectionId);
			await walkIdp(popup, "consent");
			const settled = await result;
			expect(settled.ok).toBe(true);
			if (settled.ok) expect(settled.value).toMatchObject({ providerConfigKey: "idp", connectionId });
			if (client === "pizzly" && settled.ok) expect(settled.value).toMatchObject({ integrationKey: "idp" });
			expect(idp.grants.authorization_code).toBe(grantsBefore + 1);
			expect(await idp.isActive(await storedAccessToken("idp", connectionId))).toBe(true);
			// The result page closed itself.
			await popup.waitForEvent("close", { timeout: 5000 }).catch(() => undefined);
			expect(popup.isClosed()).toBe(true);
			await context.close();
		});
	}

	it("@nangohq/frontend 0.8.0: denying consent rejects with a typed error carrying the provider's text", async () => {
		const { context, popup, result } = await authorize("nango080", "idp", "denied-user");
		await walkIdp(popup, "cancel");
		const settled = await result;
		expect(settled).toEqual({
			ok: false,
			error: {
				connectionId: "denied-user",
				providerConfigKey: "idp",
				integrationKey: "idp",
				error: expect.objectContaining({ type: "callback_err", error: "access_denied" }),
			},
		});
		await context.close();
	});

	it("@nangohq/frontend 0.9.0: denying consent rejects with {type, message} over the WebSocket", async () => {
		const { context, popup, result } = await authorize("nango090", "idp", "denied-ws");
		await walkIdp(popup, "cancel");
		expect(await result).toEqual({
			ok: false,
			error: { type: "callback_err", message: expect.stringContaining("access_denied") },
		});
		await context.close();
	});

	it("@nangohq/frontend 0.9.0 still gets the result when the provider's pages cut the opener (COOP)", async () => {
		const { context, popup, result } = await authorize("nango090", "idp-coop", "coop-user");
		await walkIdp(popup, "consent");
		const settled = await result;
		expect(settled).toEqual({
			ok: true,
			value: { providerConfigKey: "idp-coop", connectionId: "coop-user" },
		});
		expect(await coopIdp.isActive(await storedAccessToken("idp-coop", "coop-user"))).toBe(true);
		await context.close();
	});
});
