/**
 * The Connect UI (docs/connect-ui.md) in real Chromium, driven by today's published clients: an
 * app page on its own origin calls @nangohq/frontend 0.71's `openConnectUI`, the worker's page in
 * the iframe takes the session token by postMessage, the user picks the integration and signs in
 * and consents at a real authorization server (oidc-provider) in the popup, the app's `onEvent`
 * gets `ready` … `connect`, and @nangohq/node 0.71 reads the connection back with its end user.
 * Also: the page on its own at the session's `connect_link`, a connection-config form, a revoked
 * token, what may unlock the page, the credentials form, and axe-core on the list and the forms.
 * Every page runs under its own CSP (no bypass): a CSP violation fails the test.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Nango } from "@nangohq/node";
import type { Browser, BrowserContext, Frame, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser.js";
import { type OidcServer, registerIdp, startOidcServer } from "../support/oidc.js";
import { type RunningWorker, startWorker, TEST_SECRET_KEY } from "../support/worker.js";
import { type Site, startSite } from "./support/published-frontends.js";
import { signInAndConsent } from "./support/sdk-frontend-app.js";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let worker: RunningWorker;
let idp: OidcServer;
let browser: Browser;
let site: Site;
let nango: Nango;
let context: BrowserContext;
/** CSP violations any page of the current context reported */
let violations: string[];

/** What these tests read of the connection object today's client returns. */
interface ConnectionRead {
	end_user: { id: string } | null;
	connection_config: Record<string, unknown>;
	credentials: { access_token: string };
}

interface ConnectEvent {
	type: string;
	payload?: Record<string, string>;
}

beforeAll(async () => {
	worker = await startWorker();
	[idp, browser, site] = await Promise.all([
		startOidcServer({ redirectUri: `${worker.url}/oauth/callback` }),
		launchBrowser(),
		startSite(worker.url),
	]);
	nango = new Nango({ host: worker.url, secretKey: TEST_SECRET_KEY });
	const server = { url: worker.url, secretKey: TEST_SECRET_KEY };
	// oidc-provider issues offline_access only with an explicit consent prompt.
	await registerIdp(idp, server, "idp", { authorization_params: { prompt: "consent" } });
	// A field the user fills before the popup; it chooses no host, so the browser may send it.
	await registerIdp(idp, server, "idp-team", {
		name: "Team Identity",
		authorization_params: { prompt: "consent" },
		connection_config: { team: { description: "Your team name", pattern: "^[a-z][a-z0-9-]*$" } },
	});
	// An API-key integration from the catalog (it needs no OAuth client; it declares no verification).
	const created = await fetch(`${worker.url}/config`, {
		method: "POST",
		headers: { authorization: `Bearer ${TEST_SECRET_KEY}`, "content-type": "application/json" },
		body: JSON.stringify({
			provider_config_key: "leads",
			provider: "a-leads",
		}),
	});
	expect(created.status).toBe(200);
});

afterAll(async () => {
	await browser?.close();
	await Promise.all([site?.close(), idp?.stop()]);
	await worker?.stop();
});

async function newContext(): Promise<BrowserContext> {
	context = await browser.newContext();
	violations = [];
	context.on("console", (message) => {
		if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
	});
	return context;
}

afterEach(async () => {
	await context?.close();
	expect(violations).toEqual([]);
});

async function mint(allowed: string[], endUser = "user-ui"): Promise<{ token: string; link: string }> {
	const session = await nango.createConnectSession({
		end_user: { id: endUser },
		allowed_integrations: allowed,
	});
	return { token: session.data.token, link: session.data.connect_link };
}

/** The app's page with `openConnectUI` called, and the iframe's frame once it has loaded. */
async function openInApp(token: string): Promise<{ app: Page; frame: Frame }> {
	const app = await context.newPage();
	app.on("console", (message) => {
		if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
	});
	await app.goto(site.url);
	await app.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
	await app.evaluate(
		([t, base, api]) =>
			(window as unknown as { openConnect(t: string, b: string, a: string): void }).openConnect(t, base, api),
		[token, `${worker.url}/connect`, worker.url] as const,
	);
	const handle = await app.waitForSelector("iframe#connect-ui");
	const frame = await handle.contentFrame();
	if (!frame) throw new Error("no Connect UI frame");
	return { app, frame };
}

function eventsOf(app: Page): Promise<ConnectEvent[]> {
	return app.evaluate(() => (window as unknown as { connectEvents: ConnectEvent[] }).connectEvents);
}

async function waitForEvent(app: Page, type: string): Promise<ConnectEvent> {
	await app.waitForFunction(
		(t) => (window as unknown as { connectEvents: ConnectEvent[] }).connectEvents.some((e) => e.type === t),
		type,
	);
	const found = (await eventsOf(app)).find((event) => event.type === type);
	if (!found) throw new Error(`no ${type} event`);
	return found;
}

const focusedId = (target: Page | Frame) => target.evaluate(() => document.activeElement?.id ?? "");

/** Serious or critical accessibility violations axe-core finds in `target`. */
async function seriousViolations(target: Page | Frame): Promise<string[]> {
	// Evaluated through the debugging protocol: the page's CSP (rightly) refuses inline scripts.
	await target.evaluate(AXE);
	const found = await target.evaluate(async () => {
		// biome-ignore lint/suspicious/noExplicitAny: axe is injected at run time
		const result = await (window as any).axe.run(document);
		return result.violations as Array<{ id: string; impact: string }>;
	});
	return found.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id);
}

describe("today's openConnectUI with the worker's Connect UI", () => {
	it("connects through the iframe and the OAuth popup: ready … connect, then close", async () => {
		await newContext();
		const { token } = await mint(["idp"], "user-iframe");
		const { app, frame } = await openInApp(token);
		await frame.getByRole("heading", { name: "Choose an integration" }).waitFor();
		expect(await focusedId(frame)).toBe("list-heading");

		const popupOpened = context.waitForEvent("page");
		await frame.getByRole("button", { name: "oidc-test" }).click();
		const popup = await popupOpened;
		expect(new URL(popup.url()).pathname).not.toBe("/oauth/connect/idp"); // already at the IdP
		await frame.getByRole("heading", { name: "Finish in the new window" }).waitFor();
		await signInAndConsent(popup);

		const connect = await waitForEvent(app, "connect");
		expect(connect.payload?.providerConfigKey).toBe("idp");
		expect(connect.payload?.connectionId).toMatch(UUID);
		const events = await eventsOf(app);
		expect(events[0]).toEqual({ type: "ready" });
		expect(events.map((event) => event.type)).toEqual(["ready", "connect"]);
		await frame.getByRole("heading", { name: "Connected" }).waitFor();

		const connection = (await nango.getConnection(
			"idp",
			String(connect.payload?.connectionId),
		)) as unknown as ConnectionRead;
		expect(connection.end_user?.id).toBe("user-iframe");
		expect(await idp.isActive(connection.credentials.access_token)).toBe(true);

		// Done posts close; today's client unmounts the iframe.
		await frame.getByRole("button", { name: "Done" }).click();
		await app.waitForSelector("iframe#connect-ui", { state: "detached" });
		expect((await eventsOf(app)).map((event) => event.type)).toEqual(["ready", "connect", "close"]);
	});

	it("shows an error and posts `error` for a revoked session token", async () => {
		await newContext();
		const { token } = await mint(["idp"]);
		const revoked = await fetch(`${worker.url}/connect/session`, {
			method: "DELETE",
			headers: { authorization: `Bearer ${token}` },
		});
		expect(revoked.status).toBe(204);
		const { app, frame } = await openInApp(token);
		const error = await waitForEvent(app, "error");
		expect(error.payload).toEqual({
			errorType: "invalid_connect_session",
			errorMessage: expect.stringContaining("expired or was revoked"),
		});
		await frame.getByRole("heading", { name: "This link cannot be used" }).waitFor();
		expect(await frame.getByRole("alert").last().textContent()).toContain("expired or was revoked");
		expect(await frame.getByRole("button", { name: "oidc-test" }).count()).toBe(0);
	});

	it("is unlocked by the parent's session_token message only, and calls only its own origin", async () => {
		await newContext();
		const { token } = await mint(["idp"]);
		const app = await context.newPage();
		await app.goto(site.url);
		// From here on: the Connect UI's requests (the app's own page and scripts have loaded).
		const requests: string[] = [];
		context.on("request", (request) => requests.push(request.url()));
		// The page framed by hand, with an apiURL on another origin (the app's), and a sibling frame.
		await app.evaluate(
			(src) => {
				for (const [id, url] of [
					["ui", src],
					["sibling", "about:blank"],
				] as const) {
					const iframe = document.createElement("iframe");
					iframe.id = id;
					iframe.src = url;
					document.body.append(iframe);
				}
			},
			`${worker.url}/connect/?apiURL=${encodeURIComponent(site.url)}`,
		);
		const frame = await (await app.waitForSelector("iframe#ui")).contentFrame();
		if (!frame) throw new Error("no frame");
		await frame.getByText("Waiting for the app…").waitFor();

		// A message's source is the window whose script sent it: each is sent from that window's realm.
		const post = (message: unknown, from: "parent" | "sibling") =>
			app.evaluate(
				([m, f]) => {
					const code = `parent.document.getElementById("ui").contentWindow.postMessage(${JSON.stringify(m)}, "*")`;
					const sibling = (document.getElementById("sibling") as HTMLIFrameElement).contentWindow;
					const realm = (f === "parent" ? window : sibling) as Window & typeof globalThis;
					realm.eval(code);
				},
				[message, from] as const,
			);
		// What reached the frame, and from whom: proof that each message below was delivered.
		await frame.evaluate(() => {
			const seen: string[] = [];
			(window as unknown as { seen: string[] }).seen = seen;
			window.addEventListener("message", (event) =>
				seen.push(event.source === window.parent ? "parent" : "other"),
			);
		});
		await post({ type: "session", sessionToken: token }, "parent");
		await post({ sessionToken: token }, "parent");
		await post({ type: "connect", payload: { providerConfigKey: "idp", connectionId: "x" } }, "parent");
		await post({ type: "session_token", sessionToken: token }, "sibling");
		await post({ type: "session_token", sessionToken: { token } }, "parent");
		await frame.waitForFunction(() => (window as unknown as { seen: string[] }).seen.length === 5);
		expect(await frame.evaluate(() => (window as unknown as { seen: string[] }).seen)).toEqual([
			"parent",
			"parent",
			"parent",
			"other",
			"parent",
		]);
		// None of them unlocked it (a load would have said "Loading…" at once).
		expect(await frame.locator("#start-text").textContent()).toBe("Waiting for the app…");
		expect(requests.filter((url) => url.includes("/connect/session"))).toEqual([]);

		await post({ type: "session_token", sessionToken: token }, "parent");
		await frame.getByRole("heading", { name: "Choose an integration" }).waitFor();
		const sessionReads = requests.filter((url) => url.includes("/connect/session"));
		expect(sessionReads).toEqual([`${worker.url}/connect/session`]);
		expect(requests.filter((url) => !url.startsWith(worker.url))).toEqual([]);
	});
});

describe("the Connect UI on its own at the session's connect_link", () => {
	it("connects by keyboard, after a connection-config form that checks its field first", async () => {
		await newContext();
		const { link } = await mint(["idp", "idp-team"], "user-link");
		expect(link).toBe(
			`${worker.url}/connect/?session_token=${new URL(link).searchParams.get("session_token")}`,
		);
		const page = await context.newPage();
		await page.goto(link);
		await page.getByRole("heading", { name: "Choose an integration" }).waitFor();
		expect(await page.getByRole("listitem").allTextContents()).toEqual(["oidc-test", "Team Identity"]);

		await page.getByRole("button", { name: "Team Identity" }).focus();
		await page.keyboard.press("Enter");
		await page.getByRole("heading", { name: "Connect Team Identity" }).waitFor();
		expect(await focusedId(page)).toBe("form-heading");
		const field = page.getByLabel("Your team name");
		expect(await field.getAttribute("pattern")).toBe("^[a-z][a-z0-9-]*$");

		// a value outside the pattern: an error beside the field, focus on it, no popup
		let popups = 0;
		context.on("page", () => popups++);
		await field.fill("Not A Team!");
		await page.getByRole("button", { name: "Continue" }).press("Enter");
		expect(await field.getAttribute("aria-invalid")).toBe("true");
		expect(await page.locator("#param-0-error").textContent()).toBe(
			"This value does not have the expected format.",
		);
		expect(await focusedId(page)).toBe("param-0");
		expect(popups).toBe(0);

		await field.fill("acme");
		const popupOpened = context.waitForEvent("page");
		await page.getByRole("button", { name: "Continue" }).press("Enter");
		const popup = await popupOpened;
		await signInAndConsent(popup);
		await page.getByRole("heading", { name: "Connected" }).waitFor();
		expect(await focusedId(page)).toBe("done-heading");

		const listed = await nango.listConnections();
		// the only idp-team connection of this file (lists carry no end user)
		const made = listed.connections.filter((connection) => connection.provider_config_key === "idp-team");
		expect(made).toHaveLength(1);
		const connection = (await nango.getConnection(
			"idp-team",
			String(made[0]?.connection_id),
		)) as unknown as ConnectionRead;
		expect(connection.end_user?.id).toBe("user-link");
		expect(connection.connection_config).toMatchObject({ team: "acme" });
		expect(await idp.isActive(connection.credentials.access_token)).toBe(true);
	});

	it("explains a link without a token", async () => {
		await newContext();
		const page = await context.newPage();
		await page.goto(`${worker.url}/connect`);
		expect(new URL(page.url()).pathname).toBe("/connect/");
		await page.getByRole("heading", { name: "This link cannot be used" }).waitFor();
		expect(await page.getByRole("alert").last().textContent()).toContain("needs a connect link");
	});

	it("checks the API-key form's fields before sending anything", async () => {
		await newContext();
		const { link } = await mint(["leads"]);
		const requests: string[] = [];
		context.on("request", (request) => requests.push(new URL(request.url()).pathname));
		const page = await context.newPage();
		await page.goto(link);
		await page.getByRole("button", { name: "A-Leads" }).click();
		await page.getByRole("heading", { name: "Connect A-Leads" }).waitFor();
		const key = page.getByLabel("API key");
		expect(await key.getAttribute("type")).toBe("password");
		await page.getByRole("button", { name: "Connect" }).click();
		expect(await page.locator("#credential-apiKey-error").textContent()).toBe("This field is required.");
		expect(await page.locator("#form-error").textContent()).toBe("Some fields need your attention.");
		expect(await focusedId(page)).toBe("credential-apiKey");
		expect(requests.filter((path) => path.startsWith("/api-auth/"))).toEqual([]);
	});

	it("connects an API key through the form inside openConnectUI; the parent gets `connect`", async () => {
		await newContext();
		const { token } = await mint(["leads"], "user-key");
		const { app, frame } = await openInApp(token);
		await frame.getByRole("button", { name: "A-Leads" }).click();
		await frame.getByLabel("API key").fill("key-SENSITIVE-123");
		await frame.getByRole("button", { name: "Connect" }).click();
		const connect = await waitForEvent(app, "connect");
		expect(connect.payload?.providerConfigKey).toBe("leads");
		expect(connect.payload?.connectionId).toMatch(UUID);
		await frame.getByRole("heading", { name: "Connected" }).waitFor();
		expect(await frame.content()).not.toContain("key-SENSITIVE-123");
		const connection = (await nango.getConnection(
			"leads",
			String(connect.payload?.connectionId),
		)) as unknown as {
			credentials: unknown;
			end_user: { id: string } | null;
		};
		expect(connection.credentials).toEqual({ type: "API_KEY", apiKey: "key-SENSITIVE-123" });
		expect(connection.end_user?.id).toBe("user-key");
	});
});

describe("accessibility (axe-core)", () => {
	it("has no serious or critical violation on the list, the OAuth form and the API-key form", async () => {
		await newContext();
		const { link } = await mint(["idp", "idp-team", "leads"]);
		const page = await context.newPage();
		await page.goto(link);
		await page.getByRole("heading", { name: "Choose an integration" }).waitFor();
		expect(await seriousViolations(page)).toEqual([]);

		await page.getByRole("button", { name: "Team Identity" }).click();
		await page.getByRole("button", { name: "Continue" }).click(); // with its field errors showing
		expect(await seriousViolations(page)).toEqual([]);

		await page.getByRole("button", { name: "Back" }).click();
		await page.getByRole("button", { name: "A-Leads" }).click();
		await page.getByRole("heading", { name: "Connect A-Leads" }).waitFor();
		expect(await seriousViolations(page)).toEqual([]);
	});
});
