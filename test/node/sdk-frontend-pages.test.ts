/**
 * The browser SDK as the seed documents use it: their frontend snippets pasted into pages of
 * another origin (only the import and the host are ours), and a page that calls auth() as it
 * loads, which a real popup blocker refuses.
 */
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_PATH } from "../support/browser.js";
import { type OidcServer, startOidcServer } from "../support/oidc.js";
import { type RunningWorker, startWorker } from "../support/worker.js";
import {
	closeAfterReading,
	consoleOf,
	createConfig,
	freshTab,
	getConnection,
	type PageServer,
	servePages,
	signInAndConsent,
} from "./support/sdk-frontend-app.js";

/** how long to wait for a snippet's console line: the user's clicks are already done */
const POLL = { timeout: 20_000 };

let worker: RunningWorker;
let idp: OidcServer;
let pages: PageServer;
const tab = freshTab();

beforeAll(async () => {
	worker = await startWorker();
	idp = await startOidcServer({ redirectUri: `${worker.url}/oauth/callback` });
	// the key the seed documents use
	await createConfig(worker, idp, "github");
	await createConfig(worker, idp, "oidc");
	pages = await servePages({
		"/blocked.html": blockedPage(worker.url),
		"/nango-snippet.html": nangoSnippetPage(worker.url),
		"/pizzly-snippet.html": pizzlySnippetPage(worker.url),
	});
});

afterAll(async () => {
	await pages?.stop();
	await idp?.stop();
	await worker?.stop();
});

describe("the seed documents' snippets", () => {
	it("Nango: new Nango(host).auth('github', '<user-id>') logs the connection", async () => {
		const logs = consoleOf(tab.page);
		await tab.page.goto(`${pages.origin}/nango-snippet.html`);
		await tab.page.waitForFunction(() => "Nango" in window);
		const [popup] = await Promise.all([tab.page.waitForEvent("popup"), tab.page.click("#connect")]);
		await signInAndConsent(popup);
		await expect.poll(() => logs.join("\n"), POLL).toContain('provider "github" and connection-id "user-42"');
		expect((await getConnection(worker, "github", "user-42")).status).toBe(200);
	});

	it("Nango: the snippet's catch reads error.error.type and error.error.message", async () => {
		const logs = consoleOf(tab.page);
		await tab.page.goto(`${pages.origin}/nango-snippet.html`);
		await tab.page.waitForFunction(() => "Nango" in window);
		const [popup] = await Promise.all([tab.page.waitForEvent("popup"), tab.page.click("#connect")]);
		await closeAfterReading(popup);
		await expect
			.poll(() => logs.join("\n"), POLL)
			.toContain(
				"There was an error in the OAuth flow for integration: authorization_cancelled - Authorization cancelled",
			);
	});

	it("Pizzly: new Pizzly(host).connect('github') resolves integrationKey", async () => {
		const logs = consoleOf(tab.page);
		await tab.page.goto(`${pages.origin}/pizzly-snippet.html`);
		await tab.page.waitForFunction(() => "Pizzly" in window);
		const [popup] = await Promise.all([tab.page.waitForEvent("popup"), tab.page.click("#connect")]);
		await signInAndConsent(popup, "carol");
		await expect.poll(() => logs.join("\n"), POLL).toMatch(/Connected github as [0-9a-f]{32}/);
		const connectionId = /Connected github as ([0-9a-f]{32})/.exec(logs.join("\n"))?.[1] ?? "";
		expect((await getConnection(worker, "github", connectionId)).status).toBe(200);
	});
});

describe("popup blocked by the browser", () => {
	let blockingBrowser: Browser;
	beforeAll(async () => {
		// Playwright turns Chromium's popup blocker off by default: turn it back on.
		blockingBrowser = await chromium.launch({
			executablePath: CHROMIUM_PATH,
			headless: true,
			args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
			ignoreDefaultArgs: ["--disable-popup-blocking"],
		});
	});
	afterAll(async () => {
		await blockingBrowser?.close();
	});

	it("rejects with blocked_by_browser when auth() runs outside a user gesture", async () => {
		const blockedPage = await blockingBrowser.newPage();
		let popups = 0;
		blockedPage.on("popup", () => popups++);
		await blockedPage.goto(`${pages.origin}/blocked.html`);
		const outcome = await blockedPage.evaluate(
			() => (window as unknown as { outcome: Promise<unknown> }).outcome,
		);
		expect(outcome).toEqual({
			type: "blocked_by_browser",
			nestedType: "blocked_by_browser",
			providerConfigKey: "oidc",
			connectionId: "user-on-load",
		});
		expect(popups).toBe(0);
	});
});

/** Calls auth() as the page loads: no user gesture, so a popup blocker refuses the window. */
function blockedPage(workerUrl: string): string {
	return `<!doctype html>
<meta charset="utf-8"><title>blocked</title>
<script type="module">
import Nango from "${workerUrl}/sdk/frontend.js";
window.outcome = new Nango("${workerUrl}").auth("oidc", "user-on-load").then(
	() => "resolved",
	(e) => ({ type: e.type, nestedType: e.error.type, providerConfigKey: e.providerConfigKey, connectionId: e.connectionId }),
);
</script>
`;
}

/** The Nango document's frontend snippet, pasted as is; only the import and host are ours. */
function nangoSnippetPage(workerUrl: string): string {
	return `<!doctype html>
<meta charset="utf-8"><title>nango snippet</title>
<script type="module">
import Nango from "${workerUrl}/sdk/frontend.js";
window.Nango = Nango;
</script>
<button id="connect" onclick="connect()">Connect GitHub</button>
<script>
function connect() {
var nango = new Nango('${workerUrl}');
nango.auth('github', 'user-42').then((result) => {
    console.log(\`OAuth flow succeeded for provider "\${result.providerConfigKey}" and connection-id "\${result.connectionId}"!\`);
}).catch((error) => {
    console.error(\`There was an error in the OAuth flow for integration: \${error.error.type} - \${error.error.message}\`);
});
}
</script>
`;
}

/** The Pizzly document's frontend snippet, pasted as is; only the import and host are ours. */
function pizzlySnippetPage(workerUrl: string): string {
	return `<!doctype html>
<meta charset="utf-8"><title>pizzly snippet</title>
<script type="module">
import { Pizzly } from "${workerUrl}/sdk/frontend.js";
window.Pizzly = Pizzly;
</script>
<button id="connect" onclick="connect()">Connect GitHub</button>
<script>
function connect() {
const pizzly = new Pizzly('${workerUrl}');
pizzly.connect('github').then((result) => {
    console.log(\`Connected \${result.integrationKey} as \${result.connectionId}\`);
}).catch(console.error);
}
</script>
`;
}
