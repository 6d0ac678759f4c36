/**
 * The operator dashboard in real Chromium (docs/dashboard.md): sign-in with the secret key (a
 * wrong one refused), the lists showing what the REST API created, an integration created through
 * the form appearing in `GET /config`, a connection deleted from the list gone from the API, a
 * POST without the session's CSRF token refused, and an axe-core check of every page.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser.js";
import { type RunningWorker, startWorker, TEST_SECRET_KEY } from "../support/worker.js";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const AUTH = { authorization: `Bearer ${TEST_SECRET_KEY}`, "content-type": "application/json" };

let worker: RunningWorker;
let browser: Browser;
let context: BrowserContext;
let page: Page;

async function api(method: string, path: string, body?: unknown) {
	const response = await fetch(`${worker.url}${path}`, {
		method,
		headers: AUTH,
		...(body === undefined ? {} : { body: JSON.stringify(body) }),
	});
	return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** Serious or critical accessibility violations axe-core finds on the current page. */
async function seriousViolations(): Promise<string[]> {
	await page.addScriptTag({ content: AXE });
	const violations = await page.evaluate(async () => {
		// biome-ignore lint/suspicious/noExplicitAny: axe is injected at run time
		const result = await (window as any).axe.run(document);
		return result.violations as Array<{ id: string; impact: string; nodes: unknown[] }>;
	});
	return violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id);
}

beforeAll(async () => {
	[worker, browser] = await Promise.all([startWorker(), launchBrowser()]);
	await api("POST", "/config", {
		provider_config_key: "github-prod",
		provider: "github",
		oauth_client_id: "client-123",
		oauth_client_secret: "client-secret-SENSITIVE",
		oauth_scopes: "repo,user",
	});
	for (const id of ["alice@example.com", "bob@example.com"]) {
		await api("POST", "/connection", {
			provider_config_key: "github-prod",
			connection_id: id,
			access_token: "token-SENSITIVE",
			refresh_token: "refresh-SENSITIVE",
			expires_at: new Date(Date.now() + 3600_000).toISOString(),
		});
	}
	// axe-core is injected as an inline script, which the pages' CSP (rightly) refuses.
	context = await browser.newContext({ bypassCSP: true });
	page = await context.newPage();
	page.setDefaultTimeout(5000);
});

afterAll(async () => {
	await browser?.close();
	await worker?.stop();
});

describe("the dashboard", () => {
	it("refuses a wrong key and signs in with the secret key (an HttpOnly, SameSite=Strict cookie)", async () => {
		await page.goto(`${worker.url}/dashboard`);
		expect(new URL(page.url()).pathname).toBe("/dashboard/sign-in");
		expect(await seriousViolations()).toEqual([]);
		await page.getByLabel("Secret key").fill("not-the-key");
		const [refused] = await Promise.all([
			page.waitForResponse(/sign-in/),
			page.getByRole("button", { name: "Sign in" }).click(),
		]);
		expect(refused.status()).toBe(401);
		await expect(page.getByRole("alert").textContent()).resolves.toContain("not this worker's secret key");
		expect(await context.cookies()).toEqual([]);

		await page.getByLabel("Secret key").fill(TEST_SECRET_KEY);
		await page.getByRole("button", { name: "Sign in" }).click();
		await page.waitForURL(/\/dashboard\/integrations$/);
		const [cookie] = await context.cookies();
		expect(cookie).toMatchObject({
			name: "nango_dashboard",
			httpOnly: true,
			sameSite: "Strict",
			path: "/dashboard",
		});
	});

	it("lists the integrations and connections the API created, never a secret", async () => {
		await page.goto(`${worker.url}/dashboard/integrations`);
		// biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText (cells separated), not the DOM property
		const table = await page.getByRole("table").innerText();
		expect(table).toContain("github-prod");
		expect(table).toMatch(/github-prod\s+github\s+client-123\s+2/);
		expect(await page.content()).not.toContain("SENSITIVE");
		expect(await seriousViolations()).toEqual([]);

		await page.goto(`${worker.url}/dashboard/connections`);
		// biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText (cells separated), not the DOM property
		const rows = await page.getByRole("table").innerText();
		expect(rows).toContain("alice@example.com");
		expect(rows).toContain("bob@example.com");
		expect(rows).toContain("Fresh");
		expect(await page.content()).not.toContain("SENSITIVE");
		expect(await seriousViolations()).toEqual([]);

		await page.getByLabel("Search").fill("bob");
		await page.getByRole("button", { name: "Search" }).click();
		// biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText (cells separated), not the DOM property
		const found = await page.getByRole("table").innerText();
		expect(found).toContain("bob@example.com");
		expect(found).not.toContain("alice@example.com");
	});

	it("creates an integration through the form: GET /config then has it", async () => {
		await page.goto(`${worker.url}/dashboard/integrations/new`);
		expect(await seriousViolations()).toEqual([]);
		await page.getByLabel("Integration key").fill("slack-team");
		await page.locator("input[name=provider]").fill("slack");
		await page.getByLabel("Client id").fill("slack-client");
		await page.getByLabel("Client secret").fill("slack-secret-SENSITIVE");
		await page.getByLabel("Scopes").fill("chat:write");
		await page.getByRole("button", { name: "Create integration" }).click();
		await page.waitForURL(/notice=created/);
		expect(await page.getByRole("status").textContent()).toContain("created");
		const listed = await api("GET", "/config");
		const keys = (listed.json.configs as Array<{ unique_key: string; provider: string }>).map(
			(c) => c.unique_key,
		);
		expect(keys).toContain("slack-team");
		const stored = await api("GET", "/config/slack-team");
		expect(stored.json.config).toMatchObject({
			provider: "slack",
			oauth_client_id: "slack-client",
			oauth_client_secret: "slack-secret-SENSITIVE",
		});

		// A refused body shows the reason next to the form and stores nothing.
		await page.goto(`${worker.url}/dashboard/integrations/new`);
		await page.getByLabel("Integration key").fill("custom-bad");
		await page.locator("input[name=provider]").fill("my-own-idp");
		await page.getByLabel("Client id").fill("c");
		await page.getByLabel("Client secret").fill("s");
		await page.getByLabel("Scopes").fill("x");
		await page.getByRole("button", { name: "Create integration" }).click();
		expect(await page.getByRole("alert").textContent()).toBeTruthy();
		expect((await api("GET", "/config/custom-bad")).status).toBe(404);
	});

	it("shows a client secret only when asked", async () => {
		await page.goto(`${worker.url}/dashboard/integrations/github-prod`);
		expect(await page.content()).not.toContain("client-secret-SENSITIVE");
		expect(await seriousViolations()).toEqual([]);
		await page.getByRole("button", { name: "Show the client secret" }).click();
		expect(await page.content()).toContain("client-secret-SENSITIVE");
	});

	it("deletes a connection from the list: the API no longer has it", async () => {
		await page.goto(`${worker.url}/dashboard/connections`);
		await page.getByRole("button", { name: "Delete alice@example.com" }).click();
		expect(await page.getByRole("status").textContent()).toContain("Deleted alice@example.com");
		expect((await api("GET", "/connection/alice@example.com?provider_config_key=github-prod")).status).toBe(
			404,
		);
		expect((await api("GET", "/connection/bob@example.com?provider_config_key=github-prod")).status).toBe(
			200,
		);
	});

	it("refuses a form POST without the session's CSRF token, and changes nothing", async () => {
		// Signed in (the browser's cookie goes with it), but no token: as a forged form would be.
		const forged = await context.request.post(`${worker.url}/dashboard/connections/delete`, {
			form: { key: "github-prod", id: "bob@example.com" },
		});
		expect(forged.status()).toBe(403);
		const wrong = await context.request.post(`${worker.url}/dashboard/connections/delete`, {
			form: { key: "github-prod", id: "bob@example.com", csrf: "0".repeat(64) },
		});
		expect(wrong.status()).toBe(403);
		expect((await api("GET", "/connection/bob@example.com?provider_config_key=github-prod")).status).toBe(
			200,
		);
	});

	it("lists the catalog, searchable, and signs out", async () => {
		await page.goto(`${worker.url}/dashboard/catalog?q=salesforce`);
		// biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText (cells separated), not the DOM property
		const rows = await page.getByRole("table").innerText();
		expect(rows).toContain("salesforce");
		expect(rows).not.toContain("github");
		expect(await seriousViolations()).toEqual([]);
		await page.getByRole("button", { name: "Sign out" }).click();
		await page.waitForURL(/sign-in$/);
		await page.goto(`${worker.url}/dashboard/connections`);
		expect(new URL(page.url()).pathname).toBe("/dashboard/sign-in");
	});
});
