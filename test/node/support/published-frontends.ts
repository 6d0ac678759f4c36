/**
 * The app's page for the OAuth end-to-end tests: a loopback site on its own origin (not the
 * worker's) that loads the *published* browser clients from node_modules, as an app would from a
 * CDN, and exposes one function per client that resolves `{ok, value}` or `{ok: false, error}`.
 */
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { freePort } from "../../support/ports.js";

const ROOT = path.resolve(import.meta.dirname, "../../..");

// Each is an ES module with a default export: Nango (0.8.0: postMessage; 0.9.0: WebSocket), Pizzly.
const LIBRARIES: Record<string, string> = {
	"/lib/nango-080.js": "node_modules/nango-frontend-080/dist/index.js",
	"/lib/nango-090.js": "node_modules/nango-frontend-090/dist/index.js",
	"/lib/pizzly.js": "node_modules/@nangohq/pizzly-frontend/dist/index.js",
};
// Today's client (0.71, connect session tokens) is several modules: its dist folder is served as is.
const NANGO_071 = { prefix: "/lib/nango-071/", dir: "node_modules/@nangohq/frontend/dist/" };

export type ClientName = "nango080" | "nango090" | "pizzly";

/** What `window.authorize` resolves to in the page. */
export type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

function page(workerUrl: string): string {
	return `<!doctype html>
<meta charset="utf-8">
<title>app</title>
<script type="module">
import Nango080 from "/lib/nango-080.js";
import Nango090 from "/lib/nango-090.js";
import Pizzly from "/lib/pizzly.js";
import Nango071 from "/lib/nango-071/index.js";
const host = ${JSON.stringify(workerUrl)};
const clients = {
	nango080: () => new Nango080({ host }),
	nango090: () => new Nango090({ host }),
	pizzly: () => new Pizzly(host),
};
window.authorize = (name, key, connectionId, params) =>
	clients[name]()
		.auth(key, connectionId, params ? { params } : undefined)
		.then((value) => ({ ok: true, value }), (error) => ({ ok: false, error: JSON.parse(JSON.stringify(error)) }));
// Today's client: no connection id, a session token from the app's backend; reconnect() for a
// reconnect session. Its errors are AuthError instances: {type, message}.
window.authorizeWithSession = (key, connectSessionToken, reconnect) => {
	const nango = new Nango071({ host, connectSessionToken });
	return (reconnect ? nango.reconnect(key) : nango.auth(key)).then(
		(value) => ({ ok: true, value }),
		(error) => ({ ok: false, error: { type: error.type, message: error.message } }),
	);
};
// Today's client with credentials the user typed in (API key, basic): no popup, one POST.
window.authorizeCredentials = (key, connectSessionToken, credentials, params) =>
	new Nango071({ host, connectSessionToken })
		.auth(key, { credentials, ...(params ? { params } : {}) })
		.then(
			(value) => ({ ok: true, value }),
			(error) => ({ ok: false, error: { type: error.type, message: error.message } }),
		);
// Today's Connect UI: openConnectUI mounts the worker's page in an iframe; every event it passes
// to onEvent is kept, in order, for the test to read.
window.connectEvents = [];
window.openConnect = (sessionToken, baseURL, apiURL) => {
	const nango = new Nango071({ host, connectSessionToken: sessionToken });
	nango.openConnectUI({ baseURL, apiURL, onEvent: (event) => window.connectEvents.push(JSON.parse(JSON.stringify(event))) });
};
window.ready = true;
</script>
`;
}

export interface Site {
	url: string;
	close(): Promise<void>;
}

export async function startSite(workerUrl: string): Promise<Site> {
	const port = await freePort();
	const server: Server = createServer(async (req, res) => {
		const url = req.url ?? "";
		const module071 = url.startsWith(NANGO_071.prefix) ? url.slice(NANGO_071.prefix.length) : undefined;
		const file = module071 && /^[A-Za-z]+\.js$/.test(module071) ? NANGO_071.dir + module071 : LIBRARIES[url];
		if (file) {
			res.writeHead(200, { "content-type": "text/javascript" });
			res.end(await readFile(path.join(ROOT, file)));
			return;
		}
		if (req.url === "/") {
			res.writeHead(200, { "content-type": "text/html" });
			res.end(page(workerUrl));
			return;
		}
		res.writeHead(404).end();
	});
	await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
	return {
		url: `http://127.0.0.1:${port}/`,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

type AuthorizeFn = (name: ClientName, key: string, connectionId: string) => Promise<Settled>;
type SessionAuthorizeFn = (key: string, token: string, reconnect: boolean) => Promise<Settled>;

/** Loads the site in `context`, runs `start` in it, and returns the popup it opened and its result. */
async function startOnSite(
	context: BrowserContext,
	site: Site,
	start: (page: Page) => Promise<Settled>,
): Promise<{ popup: Page; result: Promise<Settled> }> {
	const page = await context.newPage();
	await page.goto(site.url);
	await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
	const popupOpened = context.waitForEvent("page");
	const result = start(page);
	return { popup: await popupOpened, result };
}

/** Starts `client.auth(key, connectionId)` on the app's page. */
export function startAuthorization(
	context: BrowserContext,
	site: Site,
	client: ClientName,
	key: string,
	connectionId: string,
): Promise<{ popup: Page; result: Promise<Settled> }> {
	return startOnSite(context, site, (page) =>
		page.evaluate(
			([name, k, id]) => (window as unknown as { authorize: AuthorizeFn }).authorize(name, k, id),
			[client, key, connectionId] as const,
		),
	);
}

/** Starts today's `new Nango({host, connectSessionToken}).auth(key)` (or `.reconnect(key)`) on the app's page. */
export function startSessionAuthorization(
	context: BrowserContext,
	site: Site,
	key: string,
	token: string,
	reconnect = false,
): Promise<{ popup: Page; result: Promise<Settled> }> {
	return startOnSite(context, site, (page) =>
		page.evaluate(
			([k, t, r]) =>
				(window as unknown as { authorizeWithSession: SessionAuthorizeFn }).authorizeWithSession(k, t, r),
			[key, token, reconnect] as const,
		),
	);
}

type CredentialsAuthorizeFn = (
	key: string,
	token: string,
	credentials: Record<string, string>,
	params?: Record<string, string>,
) => Promise<Settled>;

/** Runs today's `new Nango({host, connectSessionToken}).auth(key, {credentials})` on the app's page. */
export async function credentialsAuthorization(
	context: BrowserContext,
	site: Site,
	key: string,
	token: string,
	credentials: Record<string, string>,
): Promise<Settled> {
	const page = await context.newPage();
	await page.goto(site.url);
	await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
	const result = await page.evaluate(
		([k, t, c]) =>
			(window as unknown as { authorizeCredentials: CredentialsAuthorizeFn }).authorizeCredentials(k, t, c),
		[key, token, credentials] as const,
	);
	await page.close();
	return result;
}
