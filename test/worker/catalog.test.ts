// Every catalog template, checked: URLs, placeholders, and the requests the generic engine builds
// from it, with each OAuth 2 token endpoint mocked at the provider's own URL.
import { afterEach, describe, expect, it, vi } from "vitest";
import { buildAuthorizationUrl } from "../../src/auth-modes/oauth2/authorization-url";
import { buildRefreshRequest, buildTokenRequest } from "../../src/auth-modes/oauth2/token-request";
import { sendTokenRequest } from "../../src/auth-modes/oauth2/token-response";
import { getTemplate, listTemplates, requiredUrls, resolveTemplate } from "../../src/providers/catalog";
import { unpatternedPlaceholders } from "../../src/providers/placeholder-origin";
import { placeholderNames } from "../../src/providers/placeholders";
import { requiredUrl } from "../../src/providers/template";
import { fillConfig, sampleConfig } from "./support/catalog-samples";
import { bodyOf, json, mockProvider } from "./support/oauth2-templates";

// The 57 templates of Nango 0.9.0 (the rows of data/providers/providers.tsv with in_nango_0_9 = yes), under their early keys.
const NANGO_09 = (
	"airtable asana braintree braintree-sandbox brex bitbucket clickup digitalocean discord dropbox epic-games " +
	"facebook fitbit freshbooks front github gitlab google google-calendar google-mail google-sheet greenhouse " +
	"hubspot intercom intuit instagram jira lever linear linkedin linkhut microsoft-teams monday notion outreach " +
	"pagerduty pipedrive quickbooks ramp ramp-sandbox reddit sage salesloft shopify slack splitwise stackexchange " +
	"stripe trello twitter wave_accounting xero zendesk zoho-crm zoho-invoice zoho-books zoom"
).split(" ");

const templates = listTemplates();
const oauth2 = templates.filter(([, template]) => template.auth_mode === "OAUTH2");
const URL_FIELDS = ["authorization_url", "token_url", "refresh_url", "request_url"] as const;
const client = { clientId: "client id+/=", clientSecret: "s3cr=t&é" };
const redirectUri = "https://worker.example/oauth/callback";
const RANDOM = "${random}";
const LANGUAGE =
	/^(apiKey|accessToken|username|password|clientId|clientSecret|credentials\.\w+|connectionConfig\.[\w-]+)$/;

function fill(text: string, config: Record<string, string>): string {
	return fillConfig(text, config);
}

afterEach(() => {
	vi.restoreAllMocks();
});

describe("the catalog", () => {
	it("has at least 750 templates, 600 of them with a proxy base URL, including all 57 early keys", () => {
		expect(templates.length).toBeGreaterThanOrEqual(750);
		expect(templates.filter(([, template]) => template.proxy?.base_url).length).toBeGreaterThanOrEqual(600);
		const modes = new Set(templates.map(([, template]) => template.auth_mode));
		expect([...modes].sort()).toEqual(["API_KEY", "APP", "BASIC", "OAUTH1", "OAUTH2", "OAUTH2_CC"]);
		expect(NANGO_09.filter((key) => !getTemplate(key))).toEqual([]);
	});

	it("answers unknown keys, including Object.prototype's, with undefined", () => {
		expect(getTemplate("no-such-provider")).toBeUndefined();
		expect(getTemplate("constructor")).toBeUndefined();
		expect(getTemplate("__proto__")).toBeUndefined();
	});

	it("merges a config's fields over its template, and takes a custom config with its own endpoints", () => {
		expect(resolveTemplate("github", { scope_separator: "," })).toMatchObject({
			token_url: getTemplate("github")?.token_url,
			scope_separator: ",",
		});
		expect(
			resolveTemplate("my-idp", {
				authorization_url: "https://id.example.com/a",
				token_url: "https://id.example.com/t",
			}),
		).toEqual({
			auth_mode: "OAUTH2",
			authorization_url: "https://id.example.com/a",
			token_url: "https://id.example.com/t",
		});
		expect(resolveTemplate("my-idp", { token_url: "https://id.example.com/t" })).toBeUndefined();
		expect(resolveTemplate("github", null)).toBe(getTemplate("github"));
	});
});

describe.each(templates)("%s", (key, template) => {
	const config = sampleConfig(template);

	it("has the URLs its auth mode needs, https once filled", () => {
		for (const field of requiredUrls(template.auth_mode)) expect(template[field], field).toBeDefined();
		if (template.auth_mode === "OAUTH1") expect(template.request_url).toMatch(/^https:/);
		if (template.auth_mode === "API_KEY" || template.auth_mode === "BASIC")
			expect(template.proxy?.base_url).toBeDefined();
		for (const field of URL_FIELDS) {
			const value = template[field];
			if (value === undefined) continue;
			const url = new URL(fill(value, config));
			expect(url.protocol, `${key}.${field}`).toBe("https:");
			expect(url.hostname).toMatch(/^[a-z0-9.-]+\.[a-z]{2,}$/);
		}
	});

	it("can be configured: every placeholder its URLs use has a pattern", () => {
		expect(unpatternedPlaceholders(template)).toEqual([]);
	});

	it("declares exactly the placeholders it uses, each with a description", () => {
		const texts = [
			...URL_FIELDS.map((field) => template[field] ?? ""),
			...Object.values({
				...template.authorization_params,
				...template.token_params,
				...template.refresh_params,
			}),
		];
		const proxyTexts = [
			template.proxy?.base_url ?? "",
			...Object.values({ ...template.proxy?.headers, ...template.proxy?.query }),
			...(template.verification?.endpoints ?? []),
		];
		const used = new Set([...texts, ...proxyTexts].flatMap(placeholderNames));
		expect(Object.keys(template.connection_config ?? {}).sort()).toEqual([...used].sort());
		for (const field of Object.values(template.connection_config ?? {})) {
			expect(field.description.length).toBeGreaterThan(5);
			if (field.pattern && field.default) expect(field.default).toMatch(new RegExp(field.pattern));
		}
		// Every non-placeholder `${...}` is the per-request random value the engine knows, or a
		// GitHub App config's slug.
		expect(texts.join(" ").replaceAll(/\$\{connectionConfig\.[^}]+\}/g, "")).not.toMatch(
			/\$\{(?!random\}|app_slug\})/,
		);
		// The proxy's templates name only what src/proxy/template-values.ts fills.
		for (const text of proxyTexts) {
			const names = [...text.matchAll(/\$\{(?!base64\()([^}]*)\}/g)].map((match) => match[1]);
			for (const name of names) expect(name, `${key}: ${text}`).toMatch(LANGUAGE);
			const calls = [...text.matchAll(/\$\{([^}$]*)\(/g)].map((match) => match[1]);
			for (const call of calls) expect(call, `${key}: ${text}`).toBe("base64");
		}
	});
});

describe.each(oauth2)("%s (OAuth 2)", (key, template) => {
	const config = sampleConfig(template);
	const scopes = ["scope.one", "scope:two"];

	it("builds an authorization URL with the client, scopes, PKCE choice and extra parameters", () => {
		const codeChallenge = template.disable_pkce ? undefined : "challenge-value";
		const built = new URL(
			buildAuthorizationUrl({
				template,
				...client,
				scopes,
				redirectUri,
				state: "state-1",
				connectionConfig: config,
				...(codeChallenge ? { codeChallenge } : {}),
			}),
		);
		const expected = new URL(fill(requiredUrl(template, "authorization_url"), config));
		expect(built.origin + built.pathname).toBe(expected.origin + expected.pathname);
		const params = built.searchParams;
		expect(params.get("client_id")).toBe(client.clientId);
		expect(params.get("redirect_uri")).toBe(redirectUri);
		expect(params.get("state")).toBe("state-1");
		expect(params.get("response_type")).toBe(template.authorization_params?.response_type ?? "code");
		const allScopes = [...new Set([...scopes, ...(template.default_scopes ?? [])])];
		expect(params.get("scope")).toBe(allScopes.join(template.scope_separator ?? " "));
		expect(params.get("code_challenge")).toBe(codeChallenge ?? null);
		expect(params.get("code_challenge_method")).toBe(codeChallenge ? "S256" : null);
		for (const [name, value] of Object.entries(template.authorization_params ?? {})) {
			if (value.includes(RANDOM)) expect(params.get(name)).toMatch(/^[^$]+$/);
			else expect(params.get(name), `${key} ${name}`).toBe(fill(value, config));
		}
		expect(decodeURIComponent(built.search)).not.toContain("$" + "{");
	});

	it("builds code-exchange and refresh requests as the template says", async () => {
		const basic = template.token_request_auth_method === "basic";
		const exchange = buildTokenRequest({
			template,
			...client,
			redirectUri,
			code: "the-code",
			codeVerifier: "v".repeat(43),
			connectionConfig: config,
		});
		const refresh = buildRefreshRequest({
			template,
			...client,
			refreshToken: "the-refresh-token",
			connectionConfig: config,
		});
		expect(refresh.url).toBe(
			new URL(fill(template.refresh_url ?? requiredUrl(template, "token_url"), config)).href,
		);
		const expectations = [
			[
				exchange,
				template.token_params,
				{
					grant_type: "authorization_code",
					code: "the-code",
					redirect_uri: redirectUri,
					code_verifier: "v".repeat(43),
				},
			],
			[refresh, template.refresh_params, { grant_type: "refresh_token", refresh_token: "the-refresh-token" }],
		] as const;
		for (const [request, extra, fields] of expectations) {
			expect(request.method).toBe("POST");
			expect(request.headers.get("Accept")).toBe("application/json");
			expect(request.headers.get("User-Agent")).toBeTruthy();
			expect(request.headers.get("Content-Type")).toBe(
				template.body_format === "json" ? "application/json" : "application/x-www-form-urlencoded",
			);
			const clientFields = basic ? {} : { client_id: client.clientId, client_secret: client.clientSecret };
			const filledExtra = Object.fromEntries(
				Object.entries(extra ?? {}).map(([name, value]) => [name, fill(value, config)]),
			);
			expect(await bodyOf(request)).toEqual({ ...filledExtra, ...fields, ...clientFields });
			const basicHeader = `Basic ${btoa("client+id%2B%2F%3D:s3cr%3Dt%26%C3%A9")}`;
			expect(request.headers.get("Authorization")).toBe(basic ? basicHeader : null);
		}
	});

	it("exchanges a code against a mock at the provider's token URL", async () => {
		const arrived = mockProvider(new URL(fill(requiredUrl(template, "token_url"), config)).href, () =>
			json({ access_token: `at-${key}`, refresh_token: "rt", expires_in: 3600, token_type: "Bearer" }),
		);
		const request = buildTokenRequest({
			template,
			...client,
			redirectUri,
			code: "the-code",
			connectionConfig: config,
		});
		const result = await sendTokenRequest(request, template, { now: new Date("2026-01-01T00:00:00Z") });
		expect(result).toMatchObject({
			ok: true,
			credentials: { access_token: `at-${key}`, refresh_token: "rt", expires_at: "2026-01-01T01:00:00.000Z" },
		});
		expect(arrived).toHaveLength(1);
		expect(await bodyOf(arrived[0] ?? request)).toMatchObject({
			grant_type: "authorization_code",
			code: "the-code",
		});
	});
});
