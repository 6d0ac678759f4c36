/**
 * The browser SDK end to end: headless Chromium on an app page of its own origin imports
 * `<worker>/sdk/frontend.js` from the real worker, and a person clicks through a real OAuth
 * authorization server (oidc-provider) in the popup — also one whose pages send
 * `Cross-Origin-Opener-Policy: same-origin`, which cuts the popup off from the page.
 */
import { gunzipSync, gzipSync } from "node:zlib";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OidcServer, startOidcServer } from "../support/oidc.js";
import { type RunningWorker, startWorker } from "../support/worker.js";
import {
	type AppWindow,
	appPage,
	clickToStart,
	closeAfterReading,
	connectRequests,
	createConfig,
	freshTab,
	getConnection,
	openApp,
	outcomeOf,
	type PageServer,
	servePages,
	signInAndConsent,
	waitForLogin,
} from "./support/sdk-frontend-app.js";

let worker: RunningWorker;
let idp: OidcServer;
let coopIdp: OidcServer;
let pages: PageServer;
const tab = freshTab();

beforeAll(async () => {
	worker = await startWorker();
	const redirectUri = `${worker.url}/oauth/callback`;
	idp = await startOidcServer({ redirectUri });
	coopIdp = await startOidcServer({ redirectUri, crossOriginOpenerPolicy: true });
	await createConfig(worker, idp, "oidc");
	await createConfig(worker, coopIdp, "oidc-coop");
	pages = await servePages({ "/app.html": appPage(worker.url) });
});

afterAll(async () => {
	await pages?.stop();
	await idp?.stop();
	await coopIdp?.stop();
	await worker?.stop();
});

/** Sets what #go does, clicks it, and returns the popup the click opened. */
async function clickToAuthorize(action: {
	key: string;
	connectionId: string;
	timeoutMs?: number;
}): Promise<Page> {
	return clickToStart(
		tab.page,
		`${pages.origin}/app.html`,
		({ host, key, connectionId, timeoutMs }) => {
			const app = window as unknown as AppWindow;
			app.action = () => new app.sdk.Nango(host).auth(key, connectionId, timeoutMs ? { timeoutMs } : {});
		},
		{ host: worker.url, ...action },
	);
}

describe("GET /sdk/frontend.js", () => {
	it("serves a small browser ES module that any origin may import", async () => {
		const response = await fetch(`${worker.url}/sdk/frontend.js`, {
			headers: { origin: "https://app.example" },
		});
		expect(response.status).toBe(200);
		expect(response.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
		expect(response.headers.get("access-control-allow-origin")).toBe("*");
		expect(response.headers.get("cache-control")).toMatch(/max-age=\d+/);
		const body = Buffer.from(await response.arrayBuffer());
		expect(body.toString()).toMatch(/export\{.*\bas default\b.*\}/);
		const gzipped = gzipSync(body, { level: 9 });
		expect(gunzipSync(gzipped).equals(body)).toBe(true);
		expect(gzipped.byteLength).toBeLessThanOrEqual(4096);

		const etag = response.headers.get("etag");
		expect(etag).toMatch(/^"[0-9a-f]+"$/);
		const again = await fetch(`${worker.url}/sdk/frontend.js`, { headers: { "if-none-match": etag ?? "" } });
		expect(again.status).toBe(304);
		expect(again.headers.get("access-control-allow-origin")).toBe("*");
	});

	it("exports Nango as default and by name, Pizzly and AuthError, to a page of another origin", async () => {
		await openApp(tab.page, `${pages.origin}/app.html`);
		expect(new URL(tab.page.url()).origin).not.toBe(new URL(worker.url).origin);
		const exported = await tab.page.evaluate((host) => {
			const { sdk } = window as unknown as AppWindow;
			let invalidHost = "";
			try {
				new sdk.Nango("not a url");
			} catch (error) {
				invalidHost = (error as Error).name;
			}
			return {
				sameClass: sdk.Nango === sdk.NamedNango,
				pizzlyIsNango: new sdk.Pizzly(host) instanceof sdk.Nango,
				objectForm: typeof new sdk.Nango({ host, publicKey: "pk" }).auth,
				authError: typeof sdk.AuthError,
				invalidHost,
			};
		}, worker.url);
		expect(exported).toEqual({
			sameClass: true,
			pizzlyIsNango: true,
			objectForm: "function",
			authError: "function",
			invalidHost: "TypeError",
		});
	});
});

describe("auth()", () => {
	it("resolves once the user has signed in and consented, and the connection exists", async () => {
		const popup = await clickToAuthorize({ key: "oidc", connectionId: "user-success" });
		const closed = popup.waitForEvent("close");
		await waitForLogin(popup);
		// without COOP the page keeps its handle on the popup
		expect(await tab.page.evaluate(() => (window as unknown as AppWindow).popups[0]?.closed)).toBe(false);
		await signInAndConsent(popup);
		expect(await outcomeOf(tab.page)).toEqual({
			ok: true,
			result: { providerConfigKey: "oidc", connectionId: "user-success" },
		});
		const connection = await getConnection(worker, "oidc", "user-success");
		expect(connection.status).toBe(200);
		expect(typeof connection.body.credentials?.access_token).toBe("string");
		await closed;
	});

	it("resolves when the provider's pages send Cross-Origin-Opener-Policy: same-origin", async () => {
		const popup = await clickToAuthorize({ key: "oidc-coop", connectionId: "user-coop" });
		const closed = popup.waitForEvent("close");
		await waitForLogin(popup);
		// the premise: COOP cut the page's handle, which now reads `closed` though the popup is open
		expect(popup.isClosed()).toBe(false);
		expect(await tab.page.evaluate(() => (window as unknown as AppWindow).popups[0]?.closed)).toBe(true);
		await signInAndConsent(popup, "bob");
		expect(await outcomeOf(tab.page)).toEqual({
			ok: true,
			result: { providerConfigKey: "oidc-coop", connectionId: "user-coop" },
		});
		expect((await getConnection(worker, "oidc-coop", "user-coop")).status).toBe(200);
		// the SDK's handle is dead: the worker's result page closes the popup itself
		await closed;
	});

	it("rejects with authorization_cancelled when the user closes the popup", async () => {
		const popup = await clickToAuthorize({ key: "oidc", connectionId: "user-closes" });
		await waitForLogin(popup);
		// a success message from any origin but the worker's is not the result
		await tab.page.evaluate(() =>
			window.postMessage(
				{
					eventType: "AUTHORIZATION_SUCEEDED",
					data: { providerConfigKey: "oidc", connectionId: "user-closes" },
				},
				"*",
			),
		);
		await closeAfterReading(popup);
		expect(await outcomeOf(tab.page)).toEqual({
			ok: false,
			error: {
				isAuthError: true,
				name: "AuthError",
				type: "authorization_cancelled",
				message: expect.stringContaining("closed"),
				providerConfigKey: "oidc",
				integrationKey: "oidc",
				connectionId: "user-closes",
				nested: { type: "authorization_cancelled", message: expect.stringContaining("closed") },
			},
		});
		expect((await getConnection(worker, "oidc", "user-closes")).status).toBe(404);
	});

	it("rejects with timeout, and closes the popup, when the flow does not finish in timeoutMs", async () => {
		const popup = await clickToAuthorize({ key: "oidc", connectionId: "user-slow", timeoutMs: 3000 });
		const closed = popup.waitForEvent("close");
		await waitForLogin(popup);
		const outcome = await outcomeOf(tab.page);
		expect(outcome.ok === false && outcome.error.type).toBe("timeout");
		expect(outcome.ok === false && outcome.error.nested.type).toBe("timeout");
		await closed;
	});

	it("under COOP, a closed popup cannot be seen: the flow ends with timeout, saying why", async () => {
		const popup = await clickToAuthorize({
			key: "oidc-coop",
			connectionId: "user-coop-closes",
			timeoutMs: 10_000,
		});
		await closeAfterReading(popup);
		const outcome = await outcomeOf(tab.page);
		expect(outcome.ok === false && outcome.error.type).toBe("timeout");
		expect(outcome.ok === false && outcome.error.message).toContain("Cross-Origin-Opener-Policy");
	});

	it("rejects with the server's error type when the flow fails at the worker", async () => {
		const popup = await clickToAuthorize({ key: "no-such-config", connectionId: "user-1" });
		const closed = popup.waitForEvent("close");
		const outcome = await outcomeOf(tab.page);
		expect(outcome).toMatchObject({
			ok: false,
			error: {
				isAuthError: true,
				type: "unknown_config_key",
				providerConfigKey: "no-such-config",
				connectionId: "user-1",
				nested: { type: "unknown_config_key", message: expect.stringContaining("no-such-config") },
			},
		});
		await closed;
	});

	it("rejects with the server's error when the user denies access at the provider", async () => {
		const popup = await clickToAuthorize({ key: "oidc-coop", connectionId: "user-denies" });
		await waitForLogin(popup);
		await popup.click("text=[ Cancel ]");
		const outcome = await outcomeOf(tab.page);
		expect(outcome.ok === false && outcome.error.type).toBe("callback_err");
		expect(outcome.ok === false && outcome.error.message).toContain("access_denied");
	});
});

describe("the callback page's postMessage alone", () => {
	it("resolves when the page cannot open the worker's WebSocket", async () => {
		await tab.context.addInitScript(() => {
			// a network or proxy that refuses WebSocket upgrades
			(window as unknown as { WebSocket: unknown }).WebSocket = class {
				constructor() {
					throw new DOMException("refused", "SecurityError");
				}
			};
		});
		const connectUrls = connectRequests(tab.context);
		const popup = await clickToAuthorize({ key: "oidc", connectionId: "user-no-socket" });
		await signInAndConsent(popup);
		expect(await outcomeOf(tab.page)).toEqual({
			ok: true,
			result: { providerConfigKey: "oidc", connectionId: "user-no-socket" },
		});
		expect(connectUrls).toHaveLength(1);
		expect(connectUrls[0]?.searchParams.has("ws_client_id")).toBe(false);
		expect((await getConnection(worker, "oidc", "user-no-socket")).status).toBe(200);
	});
});
