// What makes a flow safe on the open internet (docs/flows.md#who-may-start-a-flow): who may start
// one on a deployed host, host-choosing values only from the backend, and the flow cookie that
// binds the callback to the browser that started the flow. Each test is an attack from the
// security review, replayed.
import { env } from "cloudflare:workers";
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { listTemplates } from "../../src/providers/catalog";
import { browserRefusal, placeholderKinds } from "../../src/providers/placeholder-origin";
import { fillPlaceholders } from "../../src/providers/placeholders";
import { call, createConnectSession, unique } from "./support/api";
import { sampleConfig } from "./support/catalog-samples";
import {
	connect,
	cookieJar,
	createConfig,
	createCustomConfig,
	get,
	postedMessage,
} from "./support/oauth-flow";
import { HttpResponse, http, useProviderMocks } from "./support/provider-mocks";

const server = useProviderMocks();

const DEPLOYED = "https://nango.example.com";
const HOST = "${connectionConfig.host}";
const TENANT = "${connectionConfig.tenant}";

const sessionCount = async () =>
	(await env.DB.prepare("SELECT count(*) AS n FROM oauth_sessions").first<{ n: number }>())?.n;

/** The error type a refused start posts to its opener. */
async function refusal(path: string, overrides: Record<string, string> = {}) {
	const page = await get(path, overrides);
	expect(page.status).toBeGreaterThanOrEqual(400);
	expect(page.headers.get("location")).toBeNull();
	return postedMessage(await page.text()).data.error?.type;
}

describe("who may start a flow on a deployed host", () => {
	it("needs a connect session token or an hmac; a public key alone is not enough", async () => {
		const key = unique("custom");
		await createCustomConfig(key);
		const before = await sessionCount();
		const open = `${DEPLOYED}/oauth/connect/${key}?connection_id=victim@example.com`;
		expect(await refusal(open)).toBe("missing_connect_session_token");
		expect(await refusal(`${open}&public_key=pk`, { NANGO_PUBLIC_KEY: "pk" })).toBe(
			"missing_connect_session_token",
		);
		expect(await sessionCount()).toBe(before);

		const hmac = createHmac("sha256", "hmac-key").update(`${key}:victim@example.com`).digest("hex");
		expect((await connect(`${open}&hmac=${hmac}`, { NANGO_HMAC_KEY: "hmac-key" })).host).toBe(
			"id.example.com",
		);
		const token = await createConnectSession();
		expect((await connect(`${DEPLOYED}/oauth/connect/${key}?connect_session_token=${token}`)).host).toBe(
			"id.example.com",
		);
	});

	it("keeps the early open behaviour only where the operator opts in, or on loopback", async () => {
		const key = unique("custom");
		await createCustomConfig(key);
		const path = `/oauth/connect/${key}?connection_id=u`;
		expect((await connect(`${DEPLOYED}${path}`, { NANGO_ALLOW_OPEN_FLOWS: "true" })).host).toBe(
			"id.example.com",
		);
		expect(await refusal(`${DEPLOYED}${path}`, { NANGO_ALLOW_OPEN_FLOWS: "yes" })).toBe(
			"missing_connect_session_token",
		);
		expect((await connect(`http://127.0.0.1:3003${path}`)).host).toBe("id.example.com");
	});
});

describe("values that choose a host come only from the backend", () => {
	it("refuses a browser's Salesforce hostname: the client secret never leaves for another host", async () => {
		const key = unique("salesforce");
		await createConfig(key, { provider: "salesforce" });
		const before = await sessionCount();
		for (const host of ["attacker.example", "login.salesforce.com"]) {
			const type = await refusal(`/oauth/connect/${key}?connection_id=x&params[hostname]=${host}`);
			expect(type).toBe("url_param_err");
		}
		expect(await sessionCount()).toBe(before);
		// Without a browser value, the template's default host is used.
		expect((await connect(`/oauth/connect/${key}?connection_id=x`)).host).toBe("login.salesforce.com");
	});

	it("lets the browser choose a subdomain label under the provider's own domain, and nothing more", async () => {
		const key = unique("zendesk");
		await createConfig(key, { provider: "zendesk" });
		expect((await connect(`/oauth/connect/${key}?connection_id=x&params[subdomain]=acme`)).host).toBe(
			"acme.zendesk.com",
		);
		for (const value of ["attacker.example/x?", "attacker.example#", "a.b"]) {
			const path = `/oauth/connect/${key}?connection_id=x&params[subdomain]=${encodeURIComponent(value)}`;
			expect(await refusal(path)).toBe("url_param_err");
		}
	});

	it("lets the browser pick a domain only from the template's own list (Zoho's extension)", async () => {
		const key = unique("zoho");
		await createConfig(key, { provider: "zoho" });
		expect((await connect(`/oauth/connect/${key}?connection_id=x&params[extension]=eu`)).host).toBe(
			"accounts.zoho.eu",
		);
		expect(await refusal(`/oauth/connect/${key}?connection_id=x&params[extension]=evil.com`)).toBe(
			"url_param_err",
		);
	});

	it("applies the same rule to custom configs, which must declare a pattern for each placeholder", async () => {
		const missing = await call("POST", "/config", {
			body: {
				provider_config_key: unique("custom"),
				provider: "custom",
				oauth_client_id: "id",
				oauth_client_secret: "secret",
				oauth_scopes: "read",
				authorization_url: `https://id.example.com/${TENANT}/authorize`,
				token_url: `https://id.example.com/${TENANT}/token`,
			},
		});
		expect(missing.status).toBe(400);
		expect(missing.json.error).toContain("tenant");

		const key = unique("custom");
		await createCustomConfig(key, {
			authorization_url: `https://${HOST}/authorize`,
			token_url: `https://${HOST}/token`,
			connection_config: { host: { description: "Your server", pattern: "^[a-z0-9.-]+$" } },
		});
		expect(await refusal(`/oauth/connect/${key}?connection_id=x&params[host]=attacker.example`)).toBe(
			"url_param_err",
		);
		const token = await createConnectSession({
			end_user: { id: "u" },
			integrations_config_defaults: { [key]: { connection_config: { host: "sso.example.com" } } },
		});
		expect((await connect(`/oauth/connect/${key}?connect_session_token=${token}`)).host).toBe(
			"sso.example.com",
		);
	});
});

describe("no catalog template lets the browser move an endpoint to another host", () => {
	it("for every placeholder of every template, a host-like browser value is refused or stays out of the host", () => {
		const attacks = [
			"attacker.example",
			"attacker.example/x?",
			"attacker.example#",
			"u@attacker.example",
			"attacker.example:443",
		];
		let checked = 0;
		let checkedProxy = 0;
		let hostOnly = 0;
		for (const [key, template] of listTemplates()) {
			const kinds = placeholderKinds(template);
			const sample = sampleConfig(template);
			// Each alternative of the proxy's base URL (`A || B`) receives the connection's credentials.
			const bases = template.proxy?.base_url?.split(/\s*\|\|\s*/) ?? [];
			for (const [name, kind] of kinds) {
				if (kind === "host") hostOnly += 1;
				for (const attack of attacks) {
					if (browserRefusal(template, kinds, name, attack)) continue;
					const pattern = template.connection_config?.[name]?.pattern;
					if (pattern !== undefined && !new RegExp(pattern).test(attack)) continue;
					// Accepted from the browser: every URL must keep a host the attacker did not choose.
					const values: Record<string, string> = {};
					for (const other of kinds.keys())
						values[other] = template.connection_config?.[other]?.default ?? sample[other] ?? "acme";
					values[name] = attack;
					for (const url of [
						template.authorization_url,
						template.token_url,
						template.refresh_url,
						...bases,
					]) {
						if (url === undefined) continue;
						if (bases.includes(url)) checkedProxy += 1;
						const host = new URL(fillPlaceholders(url, values)).hostname;
						expect(host, `${key}: ${name}=${attack} in ${url}`).not.toContain("attacker");
						checked += 1;
					}
				}
			}
		}
		expect(checked).toBeGreaterThan(0);
		expect(checkedProxy).toBeGreaterThan(0);
		// Salesforce, ServiceNow, Keycloak, Mastodon… (29 with a whole-host token URL), and since the
		// API templates, every self-hosted or per-customer API host: 163 counted when they arrived.
		expect(hostOnly).toBeGreaterThanOrEqual(163);
	});
});

describe("the flow is bound to the browser that started it", () => {
	function tokenEndpoint() {
		const seen: string[] = [];
		server.use(
			http.post("https://id.example.com/token", async ({ request }) => {
				seen.push(await request.text());
				return HttpResponse.json({ access_token: "victim-token" });
			}),
		);
		return seen;
	}

	it("sets an HttpOnly, SameSite=Lax cookie scoped to the flow; __Host- and Secure on https", async () => {
		const key = unique("custom");
		await createCustomConfig(key);
		const local = await get(`/oauth/connect/${key}?connection_id=u`);
		const cookie = local.headers.get("set-cookie") ?? "";
		expect(cookie).toMatch(
			/^nango_flow_[A-Za-z0-9_-]{16}=[A-Za-z0-9_-]{43}; Max-Age=600; Path=\/; HttpOnly; SameSite=Lax$/,
		);
		const deployed = await get(`${DEPLOYED}/oauth/connect/${key}?connection_id=u`, {
			NANGO_ALLOW_OPEN_FLOWS: "true",
		});
		expect(deployed.headers.get("set-cookie")).toMatch(
			/^__Host-nango_flow_.*; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
		);
	});

	it("refuses a callback from another browser (login CSRF): nothing exchanged, nothing stored", async () => {
		const key = unique("custom");
		await createCustomConfig(key);
		const seen = tokenEndpoint();
		// The attacker starts a flow for their own connection id and keeps the provider URL…
		const attackerUrl = await connect(`/oauth/connect/${key}?connection_id=attacker`);
		// …the victim's browser, which never started it, lands on the callback.
		cookieJar.clear();
		const page = await get(`/oauth/callback?code=victim-code&state=${attackerUrl.searchParams.get("state")}`);
		expect(page.status).toBe(400);
		expect(postedMessage(await page.text()).data.error?.type).toBe("state_err");
		expect(seen).toHaveLength(0);
		expect((await call("GET", `/connection/attacker?provider_config_key=${key}`)).status).toBe(404);
	});

	it("refuses another flow's cookie, and completes with its own (clearing it)", async () => {
		const key = unique("custom");
		await createCustomConfig(key);
		tokenEndpoint();
		const first = await connect(`/oauth/connect/${key}?connection_id=one`);
		const firstCookies = new Map(cookieJar.cookies);
		cookieJar.clear();
		const second = await connect(`/oauth/connect/${key}?connection_id=two`);
		// The second browser holds only its own flow's cookie.
		const wrong = await get(`/oauth/callback?code=c&state=${first.searchParams.get("state")}`);
		expect(postedMessage(await wrong.text()).data.error?.type).toBe("state_err");

		cookieJar.cookies = firstCookies;
		const secondState = second.searchParams.get("state") ?? "";
		const alsoWrong = await get(`/oauth/callback?code=c&state=${secondState}`);
		expect(postedMessage(await alsoWrong.text()).data.error?.type).toBe("state_err");

		const third = await connect(`/oauth/connect/${key}?connection_id=three`);
		const done = await get(`/oauth/callback?code=c&state=${third.searchParams.get("state")}`);
		expect(postedMessage(await done.text()).eventType).toBe("AUTHORIZATION_SUCEEDED");
		expect(done.headers.get("set-cookie")).toMatch(/Max-Age=0/);
	});
});
