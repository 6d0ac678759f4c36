/**
 * The browser SDK against a worker that requires a public key and an HMAC (docs/api.md#public-key-and-hmac): the clients
 * send them under their own names (`public_key` for Nango, `pizzly_pkey` for Pizzly), params reach
 * the stored connection, and the worker's refusals arrive as typed errors.
 */
import { createHmac } from "node:crypto";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OidcServer, startOidcServer } from "../support/oidc.js";
import { type RunningWorker, startWorker, TEST_SECRET_KEY } from "../support/worker.js";
import {
	type AppWindow,
	appPage,
	clickToStart,
	connectRequests,
	createConfig,
	freshTab,
	getConnection,
	openApp,
	outcomeOf,
	type PageServer,
	servePages,
	signInAndConsent,
} from "./support/sdk-frontend-app.js";

const tab = freshTab();

describe("a worker that requires a public key and an HMAC", () => {
	const PUBLIC_KEY = "pk-test-0123";
	const HMAC_KEY = "hmac-test-key";
	let guarded: RunningWorker;
	let guardedIdp: OidcServer;
	let guardedPages: PageServer;
	const hmac = (key: string, connectionId: string) =>
		createHmac("sha256", HMAC_KEY).update(`${key}:${connectionId}`).digest("hex");

	beforeAll(async () => {
		guarded = await startWorker({ vars: { NANGO_PUBLIC_KEY: PUBLIC_KEY, NANGO_HMAC_KEY: HMAC_KEY } });
		guardedIdp = await startOidcServer({ redirectUri: `${guarded.url}/oauth/callback` });
		await createConfig(guarded, guardedIdp, "oidc");
		guardedPages = await servePages({ "/app.html": appPage(guarded.url) });
	});
	afterAll(async () => {
		await guardedPages?.stop();
		await guardedIdp?.stop();
		await guarded?.stop();
	});

	/** Clicks to authorize `oidc` at the guarded worker with a Nango or a Pizzly client. */
	async function clickWith(args: {
		client: "nango" | "pizzly";
		connectionId: string;
		publicKey?: string;
		hmac?: string;
		params?: Record<string, string>;
	}): Promise<Page> {
		return clickToStart(
			tab.page,
			`${guardedPages.origin}/app.html`,
			({ host, client, connectionId, publicKey, hmac, params }) => {
				const app = window as unknown as AppWindow;
				const options = { hmac, params };
				app.action =
					client === "pizzly"
						? () => new app.sdk.Pizzly(host, publicKey).connect("oidc", connectionId, options)
						: () => new app.sdk.Nango({ host, publicKey }).auth("oidc", connectionId, options);
			},
			{ host: guarded.url, ...args },
		);
	}

	it("Nango({host, publicKey}) sends public_key, hmac and params; the worker stores the params", async () => {
		const connectUrls = connectRequests(tab.context);
		const popup = await clickWith({
			client: "nango",
			connectionId: "user-guarded",
			publicKey: PUBLIC_KEY,
			hmac: hmac("oidc", "user-guarded"),
			params: { tenant: "acme & co/é" },
		});
		await signInAndConsent(popup);
		expect(await outcomeOf(tab.page)).toEqual({
			ok: true,
			result: { providerConfigKey: "oidc", connectionId: "user-guarded" },
		});
		const query = connectUrls[0]?.searchParams;
		expect(query?.get("public_key")).toBe(PUBLIC_KEY);
		expect(query?.get("ws_client_id")).toMatch(/^[0-9a-f-]{36}$/);
		const connection = await getConnection(guarded, "oidc", "user-guarded");
		expect(connection.status).toBe(200);
		expect(connection.body.connection_config).toMatchObject({ tenant: "acme & co/é" });
	});

	it("Pizzly(host, publishableKey) sends pizzly_pkey and resolves integrationKey", async () => {
		const connectUrls = connectRequests(tab.context);
		const popup = await clickWith({
			client: "pizzly",
			connectionId: "user-pizzly",
			publicKey: PUBLIC_KEY,
			hmac: hmac("oidc", "user-pizzly"),
		});
		await signInAndConsent(popup);
		expect(await outcomeOf(tab.page)).toEqual({
			ok: true,
			result: { providerConfigKey: "oidc", integrationKey: "oidc", connectionId: "user-pizzly" },
		});
		expect(connectUrls[0]?.searchParams.get("pizzly_pkey")).toBe(PUBLIC_KEY);
		expect((await getConnection(guarded, "oidc", "user-pizzly")).status).toBe(200);
	});

	it("rejects with the worker's invalid_hmac and missing_public_key", async () => {
		await clickWith({
			client: "nango",
			connectionId: "user-x",
			publicKey: PUBLIC_KEY,
			hmac: hmac("oidc", "other"),
		});
		expect(await outcomeOf(tab.page)).toMatchObject({ ok: false, error: { type: "invalid_hmac" } });
		await clickWith({ client: "nango", connectionId: "user-x", hmac: hmac("oidc", "user-x") });
		expect(await outcomeOf(tab.page)).toMatchObject({ ok: false, error: { type: "missing_public_key" } });
	});

	it("Nango({host, connectSessionToken}) needs neither key: the worker chooses the id and records the end user", async () => {
		const minted = await fetch(`${guarded.url}/connect/sessions`, {
			method: "POST",
			headers: { authorization: `Bearer ${TEST_SECRET_KEY}`, "content-type": "application/json" },
			body: JSON.stringify({ end_user: { id: "sdk-user" }, allowed_integrations: ["oidc"] }),
		});
		const { data } = (await minted.json()) as { data: { token: string } };
		const connectUrls = connectRequests(tab.context);
		const popup = await clickToStart(
			tab.page,
			`${guardedPages.origin}/app.html`,
			({ host, token }) => {
				const app = window as unknown as AppWindow;
				app.action = () => new app.sdk.Nango({ host, connectSessionToken: token }).auth("oidc");
			},
			{ host: guarded.url, token: data.token },
		);
		await signInAndConsent(popup);
		const outcome = await outcomeOf(tab.page);
		expect(outcome).toMatchObject({ ok: true, result: { providerConfigKey: "oidc" } });
		const connectionId = outcome.ok ? (outcome.result as { connectionId: string }).connectionId : "";
		expect(connectionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
		const query = connectUrls[0]?.searchParams;
		expect(query?.get("connect_session_token")).toBe(data.token);
		expect(query?.has("connection_id")).toBe(false);
		const connection = await getConnection(guarded, "oidc", connectionId);
		expect(connection.status).toBe(200);
		expect(connection.body.end_user?.id).toBe("sdk-user");
	});

	it("refuses a connection id beside a connect session token, before opening anything", async () => {
		await openApp(tab.page, `${guardedPages.origin}/app.html`);
		const refused = await tab.page.evaluate(async (host) => {
			const app = window as unknown as AppWindow;
			const nango = new app.sdk.Nango({ host, connectSessionToken: "nango_connect_session_x" });
			return nango.auth("oidc", "chosen-by-page").then(
				() => "resolved",
				(error: { type: string }) => error.type,
			);
		}, guarded.url);
		expect(refused).toBe("invalid_argument");
		expect(await tab.page.evaluate(() => (window as unknown as AppWindow).popups.length)).toBe(0);
	});
});
