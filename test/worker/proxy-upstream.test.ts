// The request built for a provider's API (src/proxy/upstream.ts): the path can never leave the
// base URL, base-URL fallbacks, and credentials placed where each mode and template say.
import { describe, expect, it } from "vitest";
import type { Credentials } from "../../src/connections/credentials";
import type { ProviderTemplate } from "../../src/providers/template";
import { fillTemplate, templateValues } from "../../src/proxy/template-values";
import { resolveBaseUrl, upstreamRequest, upstreamUrl } from "../../src/proxy/upstream";

const config = { oauthClientId: "client-1", oauthClientSecret: "secret-1" };

async function built(
	template: Partial<ProviderTemplate>,
	credentials: Credentials,
	path = "/v1/me",
	search = "",
) {
	const answer = await upstreamRequest({
		template: { auth_mode: credentials.type, ...template },
		config,
		credentials,
		connectionConfig: { region: "eu", empty: "" },
		method: "GET",
		path,
		search,
	});
	if (!answer.ok) throw new Error(answer.reason);
	return answer.request;
}

describe("the upstream URL", () => {
	it("keeps every path under the base URL", () => {
		const base = "https://api.example.com/rest";
		expect(upstreamUrl(base, "/v1/users", "?a=1&b=x+y")?.href).toBe(
			"https://api.example.com/rest/v1/users?a=1&b=x+y",
		);
		// leading slashes are dropped: `//evil.example/x` is a path under the base
		expect(upstreamUrl(base, "//evil.example/x", "")?.href).toBe(
			"https://api.example.com/rest/evil.example/x",
		);
		// an encoded slash stays one segment (GitHub's contents API uses them)
		expect(upstreamUrl(base, "/repos/a/b/contents/dir%2Ffile", "")?.pathname).toBe(
			"/rest/repos/a/b/contents/dir%2Ffile",
		);
		expect(upstreamUrl(base, "", "")?.href).toBe("https://api.example.com/rest");
		for (const attempt of [
			"/../admin",
			"/v1/../../admin",
			"/%2e%2e/admin",
			"/%2E%2e/admin",
			"/%252e%252e/admin",
			"/./x",
			"/%2e/x",
			"/a\\..\\..\\admin",
			"/a%5c..%5cadmin",
			"/%zz",
		]) {
			expect(upstreamUrl(base, attempt, ""), attempt).toBeUndefined();
		}
	});

	it("takes the first base-URL alternative whose placeholders all have values", () => {
		const values = templateValues({}, {}, { region: "eu", empty: "" });
		expect(
			resolveBaseUrl("https://${connectionConfig.region}.api.example.com || https://api.example.com", values),
		).toBe("https://eu.api.example.com");
		expect(
			resolveBaseUrl("https://${connectionConfig.empty}.api.example.com || https://api.example.com", values),
		).toBe("https://api.example.com");
		expect(resolveBaseUrl("https://${connectionConfig.missing}.api.example.com", values)).toBeUndefined();
	});
});

describe("credentials on the upstream request", () => {
	it("puts an API key where the template's headers and query say, nowhere else", async () => {
		const request = await built(
			{
				proxy: {
					base_url: "https://api.example.com",
					headers: {
						"x-api-key": "${apiKey}",
						"x-region": "${connectionConfig.region}",
						"x-gone": "${connectionConfig.none}",
					},
					query: { key: "${apiKey}" },
				},
			},
			{ type: "API_KEY", apiKey: "k-123" },
			"/v1/me",
			"?page=2",
		);
		expect(request.url).toBe("https://api.example.com/v1/me?page=2&key=k-123");
		expect(request.headers.get("x-api-key")).toBe("k-123");
		expect(request.headers.get("x-region")).toBe("eu");
		// a header whose placeholder has no value is left out
		expect(request.headers.has("x-gone")).toBe(false);
		expect(request.headers.has("authorization")).toBe(false);
		expect(request.redirect).toBe("manual");
	});

	it("sends basic credentials as Basic, and a template's authorization replaces the default", async () => {
		const basic = { type: "BASIC", username: "ü-user", password: "p:w" } as const;
		const plain = await built({ proxy: { base_url: "https://api.example.com" } }, basic);
		const utf8 = String.fromCharCode(...new TextEncoder().encode("ü-user:p:w"));
		expect(plain.headers.get("authorization")).toBe(`Basic ${btoa(utf8)}`);
		const custom = await built(
			{
				proxy: {
					base_url: "https://api.example.com",
					headers: { authorization: "Basic ${base64(${username}/token:${password})}" },
				},
			},
			basic,
		);
		expect(custom.headers.get("authorization")).toBe(
			`Basic ${btoa(String.fromCharCode(...new TextEncoder().encode("ü-user/token:p:w")))}`,
		);
	});

	it("sends bearer tokens for OAuth 2, client credentials and App connections", async () => {
		const base = { proxy: { base_url: "https://api.example.com" } };
		const oauth2 = await built(base, { type: "OAUTH2", access_token: "at", raw: {} });
		expect(oauth2.headers.get("authorization")).toBe("Bearer at");
		const cc = await built(base, {
			type: "OAUTH2_CC",
			token: "cc",
			client_id: "c",
			client_secret: "s",
			raw: {},
		});
		expect(cc.headers.get("authorization")).toBe("Bearer cc");
		const app = await built(base, { type: "APP", access_token: "ghs", raw: {} });
		expect(app.headers.get("authorization")).toBe("Bearer ghs");
		// OAuth 2 templates may name the integration's client beside the token
		const etsy = await built(
			{ proxy: { base_url: "https://api.example.com", headers: { "x-api-key": "${clientId}" } } },
			{ type: "OAUTH2", access_token: "at", raw: {} },
		);
		expect(etsy.headers.get("x-api-key")).toBe("client-1");
	});

	it("refuses what it cannot build: no base URL, an unresolved one, an escaping path", async () => {
		const key = { type: "API_KEY", apiKey: "k" } as const;
		const attempt = (template: Partial<ProviderTemplate>, path = "/x") =>
			upstreamRequest({
				template: { auth_mode: "API_KEY", ...template },
				config,
				credentials: key,
				connectionConfig: {},
				method: "GET",
				path,
				search: "",
			});
		expect(await attempt({})).toEqual({ ok: false, reason: "no_base_url" });
		expect(await attempt({ proxy: { base_url: "https://${connectionConfig.host}" } })).toEqual({
			ok: false,
			reason: "unresolved_base_url",
		});
		expect(await attempt({ proxy: { base_url: "https://api.example.com" } }, "/../x")).toEqual({
			ok: false,
			reason: "path_escape",
		});
	});
});

describe("the template language", () => {
	it("fills names, credentials fields and base64, and refuses what it does not speak", () => {
		const values = templateValues({ apiKey: "k" }, { username: "u" }, { n: 3 });
		expect(fillTemplate("Token ${apiKey}", values)).toBe("Token k");
		expect(fillTemplate("${credentials.username}-${connectionConfig.n}", values)).toBe("u-3");
		expect(fillTemplate("${base64(${apiKey}:)}", values)).toBe(btoa("k:"));
		expect(fillTemplate("${now:YYYY}", values)).toBeUndefined();
		expect(fillTemplate("${sha256Hex(${apiKey})}", values)).toBeUndefined();
		expect(fillTemplate("${apiKey", values)).toBeUndefined();
	});
});
