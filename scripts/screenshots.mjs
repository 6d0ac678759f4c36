#!/usr/bin/env node
// `npm run screenshots`: the README's pictures, taken from a real run so they stay true: the
// production bundle in workerd (as `npm run bench` starts it), a few integrations and
// connections made through the REST API, and Debian's Chromium (playwright-core) signing in to
// the dashboard and opening the Connect UI. Writes docs/screenshots/*.png.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { buildBundle, SECRET, startWorker } from "../bench/worker.mjs";

const ROOT = path.resolve(import.meta.dirname, "..");
const OUT = path.join(ROOT, "docs/screenshots");
mkdirSync(OUT, { recursive: true });
const auth = { authorization: `Bearer ${SECRET}`, "content-type": "application/json" };

const worker = await startWorker(buildBundle(path.join(ROOT, ".tmp/screenshots")));
const api = async (method, route, body) => {
	const response = await fetch(`${worker.url}${route}`, {
		method,
		headers: auth,
		body: JSON.stringify(body),
	});
	if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
	return response.json();
};

for (const [key, provider, scopes] of [
	["github-prod", "github", "repo,user"],
	["google-workspace", "google", "openid email"],
	["slack-bot", "slack", "chat:write"],
]) {
	await api("POST", "/config", {
		provider_config_key: key,
		provider,
		oauth_client_id: `${key}-client`,
		oauth_client_secret: "not-shown",
		oauth_scopes: scopes,
	});
}
const hour = 3600_000;
for (const [key, id, expiresIn] of [
	["github-prod", "ada@example.com", 8 * hour],
	["github-prod", "grace@example.com", 10 * 60_000],
	["google-workspace", "linus@example.com", 30 * hour],
	["slack-bot", "team-T024BE7LD", 12 * hour],
]) {
	await api("POST", "/connection", {
		provider_config_key: key,
		connection_id: id,
		access_token: "not-shown",
		refresh_token: "not-shown",
		expires_at: new Date(Date.now() + expiresIn).toISOString(),
	});
}

const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
	args: [
		"--no-sandbox",
		"--disable-gpu",
		"--disable-background-networking",
		"--disable-component-update",
		"--no-first-run",
	],
});
try {
	const page = await browser.newPage({ viewport: { width: 1200, height: 720 } });
	await page.goto(`${worker.url}/dashboard/sign-in`);
	await page.getByLabel("Secret key").fill(SECRET);
	await page.getByRole("button", { name: "Sign in" }).click();
	await page.waitForURL(/integrations$/);
	await page.screenshot({ path: path.join(OUT, "dashboard-integrations.png") });
	await page.goto(`${worker.url}/dashboard/connections`);
	await page.screenshot({ path: path.join(OUT, "dashboard-connections.png") });
	const session = await api("POST", "/connect/sessions", {
		end_user: { id: "ada", email: "ada@example.com" },
		allowed_integrations: ["github-prod", "google-workspace", "slack-bot"],
	});
	const connect = await browser.newPage({ viewport: { width: 900, height: 720 } });
	const response = await connect.goto(session.data.connect_link.replace(/^https?:\/\/[^/]+/, worker.url));
	if (response?.ok()) {
		await connect.waitForLoadState("networkidle");
		await connect.screenshot({ path: path.join(OUT, "connect-ui.png") });
	} else {
		console.error(`Connect UI: ${response?.status()} (not served by this build)`);
	}
	console.log(`screenshots written to ${path.relative(ROOT, OUT)}/`);
} finally {
	await browser.close();
	await worker.stop();
}
