/**
 * Today's published clients, unchanged, run a connect-session flow end to end
 * (docs/connect-sessions.md): the app's backend mints a session with @nangohq/node 0.71
 * (`createConnectSession`), its page calls @nangohq/frontend 0.71
 * (`new Nango({host, connectSessionToken}).auth(key)`) in headless Chromium, the user signs in
 * and consents at a real authorization server (oidc-provider), and the backend reads the
 * connection, end user included, with `getConnection`. Then a reconnect session replaces the
 * same connection's credentials. The flow cookie (docs/flows.md#browser-binding) travels in the
 * real browser the whole way.
 */
import { Nango } from "@nangohq/node";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser.js";
import { type OidcServer, registerIdp, startOidcServer } from "../support/oidc.js";
import { type RunningWorker, startWorker, TEST_SECRET_KEY } from "../support/worker.js";
import { type Site, startSessionAuthorization, startSite } from "./support/published-frontends.js";
import { signInAndConsent } from "./support/sdk-frontend-app.js";

let worker: RunningWorker;
let idp: OidcServer;
let browser: Browser;
let site: Site;
let nango: Nango;

/** What these tests read of the connection object today's client returns. */
interface ConnectionRead {
	end_user: unknown;
	credentials: { access_token: string };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

beforeAll(async () => {
	worker = await startWorker();
	[idp, browser, site] = await Promise.all([
		startOidcServer({ redirectUri: `${worker.url}/oauth/callback` }),
		launchBrowser(),
		startSite(worker.url),
	]);
	nango = new Nango({ host: worker.url, secretKey: TEST_SECRET_KEY });
	for (const key of ["idp", "idp-other"]) {
		// oidc-provider issues offline_access only with an explicit consent prompt.
		await registerIdp(idp, { url: worker.url, secretKey: TEST_SECRET_KEY }, key, {
			authorization_params: { prompt: "consent" },
		});
	}
});

afterAll(async () => {
	await browser?.close();
	await Promise.all([site?.close(), idp?.stop()]);
	await worker?.stop();
});

describe("@nangohq/node 0.71 and @nangohq/frontend 0.71 with a connect session", () => {
	let connectionId = "";

	it("connects under the session: a worker-chosen id, the end user recorded, a live token", async () => {
		const session = await nango.createConnectSession({
			end_user: { id: "user-42", email: "ada@example.com", display_name: "Ada" },
			organization: { id: "org-7", display_name: "Acme" },
			allowed_integrations: ["idp"],
		});
		expect(session.data.token).toMatch(/^nango_connect_session_[0-9a-f]{64}$/);
		expect(Date.parse(session.data.expires_at)).toBeGreaterThan(Date.now());

		const context = await browser.newContext();
		const { popup, result } = await startSessionAuthorization(context, site, "idp", session.data.token);
		await signInAndConsent(popup);
		const settled = await result;
		expect(settled).toMatchObject({ ok: true, value: { providerConfigKey: "idp" } });
		connectionId = settled.ok ? String((settled.value as { connectionId: string }).connectionId) : "";
		expect(connectionId).toMatch(UUID);
		await context.close();

		const connection = (await nango.getConnection("idp", connectionId)) as unknown as ConnectionRead;
		expect(connection.end_user).toEqual({
			id: "user-42",
			email: "ada@example.com",
			display_name: "Ada",
			tags: null,
			organization: { id: "org-7", display_name: "Acme" },
		});
		expect(await idp.isActive(connection.credentials.access_token)).toBe(true);
		// today's client asks for no refresh token, and gets none anywhere
		expect(JSON.stringify(connection.credentials)).not.toContain("refresh_token");
	});

	it("refuses an integration the session does not allow, with a typed error in the page", async () => {
		const session = await nango.createConnectSession({
			end_user: { id: "user-43" },
			allowed_integrations: ["idp"],
		});
		const context = await browser.newContext();
		const { result } = await startSessionAuthorization(context, site, "idp-other", session.data.token);
		expect(await result).toEqual({
			ok: false,
			error: { type: "integration_not_allowed", message: expect.stringContaining("idp-other") },
		});
		await context.close();
	});

	it("reconnects the same connection under a reconnect session", async () => {
		const before = (await nango.getConnection("idp", connectionId)) as unknown as ConnectionRead;
		const session = await nango.createReconnectSession({
			connection_id: connectionId,
			integration_id: "idp",
			end_user: { id: "user-42", email: "ada@example.com" },
		});
		const context = await browser.newContext();
		const { popup, result } = await startSessionAuthorization(context, site, "idp", session.data.token, true);
		await signInAndConsent(popup);
		expect(await result).toMatchObject({ ok: true, value: { providerConfigKey: "idp", connectionId } });
		await context.close();

		const after = (await nango.getConnection("idp", connectionId)) as unknown as ConnectionRead;
		expect(after.credentials.access_token).not.toBe(before.credentials.access_token);
		expect(await idp.isActive(after.credentials.access_token)).toBe(true);
		expect(after.end_user).toMatchObject({ id: "user-42", email: "ada@example.com" });
	});
});

describe("the flow cookie in a real browser (docs/flows.md#browser-binding)", () => {
	it("a victim's browser cannot finish a flow an attacker started (login CSRF)", async () => {
		// The attacker starts a flow for their own connection id and keeps the provider URL.
		const started = await fetch(`${worker.url}/oauth/connect/idp?connection_id=attacker`, {
			redirect: "manual",
		});
		expect(started.status).toBe(302);
		const providerUrl = started.headers.get("location") ?? "";
		const exchangesBefore = idp.grants.authorization_code;

		// The victim opens it, signs in and consents; the provider sends them to the callback.
		const victim = await browser.newContext();
		const page = await victim.newPage();
		await page.goto(providerUrl);
		await signInAndConsent(page);
		await page.waitForURL(/\/oauth\/callback/);
		expect(await page.content()).toContain("state_err");
		await victim.close();

		expect(idp.grants.authorization_code).toBe(exchangesBefore);
		const stored = await fetch(`${worker.url}/connection/attacker?provider_config_key=idp`, {
			headers: { authorization: `Bearer ${TEST_SECRET_KEY}` },
		});
		expect(stored.status).toBe(404);
	});
});
