// What the generic OAuth 2 engine sends: authorization URLs with each provider's parameters,
// client authentication, per-connection placeholders, and PKCE; and how a token request is sent
// (providers/fetch.ts: no redirects, timeouts, capped reads, failures as values).
import { afterEach, describe, expect, it, vi } from "vitest";
import { buildAuthorizationUrl } from "../../src/auth-modes/oauth2/authorization-url";
import { createPkce, pkceChallenge } from "../../src/auth-modes/oauth2/pkce";
import { buildTokenRequest } from "../../src/auth-modes/oauth2/token-request";
import { sendTokenRequest } from "../../src/auth-modes/oauth2/token-response";
import { fillPlaceholders, UrlParamError } from "../../src/providers/placeholders";
import {
	bodyOf,
	client,
	exchange,
	json,
	mockProvider,
	NOW,
	redirectUri,
	template,
} from "./support/oauth2-templates";

afterEach(() => {
	vi.restoreAllMocks();
});

function authorizationUrl(
	key: string,
	connectionConfig: Record<string, string> = {},
	scopes = ["a", "b"],
): URL {
	return new URL(
		buildAuthorizationUrl({
			template: template(key),
			...client,
			scopes,
			redirectUri,
			state: "st",
			connectionConfig,
		}),
	);
}

const EARLY = "https://${connectionConfig.params.subdomain}.${connectionConfig.domain}/x";
const TWO_MISSING = "https://${connectionConfig.a}.${connectionConfig.b}/${connectionConfig.a}";

describe("client authentication", () => {
	it("Notion: HTTP Basic and a JSON body", async () => {
		const request = exchange("notion");
		expect(request.headers.get("Authorization")).toBe(`Basic ${btoa("client-id:client-secret")}`);
		expect(request.headers.get("Content-Type")).toBe("application/json");
		expect(await request.json()).toEqual({
			grant_type: "authorization_code",
			code: "the-code",
			redirect_uri: redirectUri,
		});
	});

	it("Reddit: HTTP Basic, form body, no secret in the body", async () => {
		const request = exchange("reddit");
		expect(request.headers.get("Authorization")).toMatch(/^Basic /);
		expect(request.headers.get("Content-Type")).toBe("application/x-www-form-urlencoded");
		expect(await bodyOf(request)).toEqual({
			grant_type: "authorization_code",
			code: "the-code",
			redirect_uri: redirectUri,
		});
	});

	it("GitHub: the client id and secret in the body, no Authorization header", async () => {
		const request = exchange("github");
		expect(request.headers.get("Authorization")).toBeNull();
		expect(await bodyOf(request)).toMatchObject({ client_id: "client-id", client_secret: "client-secret" });
	});

	it("Basic form-encodes id and secret before base64 (RFC 6749 §2.3.1)", () => {
		const request = buildTokenRequest({
			template: template("reddit"),
			clientId: "my id:1",
			clientSecret: "p@ss/word",
			redirectUri,
			code: "c",
			connectionConfig: {},
		});
		expect(request.headers.get("Authorization")).toBe(`Basic ${btoa("my+id%3A1:p%40ss%2Fword")}`);
	});
});

describe("authorization URLs", () => {
	it("Reddit duration=permanent, Google offline consent, Dropbox offline tokens", () => {
		expect(authorizationUrl("reddit").searchParams.get("duration")).toBe("permanent");
		const google = authorizationUrl("google").searchParams;
		expect([google.get("access_type"), google.get("prompt"), google.get("scope")]).toEqual([
			"offline",
			"consent",
			"a b",
		]);
		expect(authorizationUrl("dropbox").searchParams.get("token_access_type")).toBe("offline");
	});

	it("Atlassian asks for the api.atlassian.com audience and offline_access", () => {
		const params = authorizationUrl("jira").searchParams;
		expect([params.get("audience"), params.get("prompt"), params.get("scope")]).toEqual([
			"api.atlassian.com",
			"consent",
			"a b offline_access",
		]);
	});

	it("LinkedIn disables PKCE; without a challenge no PKCE parameter is sent", () => {
		expect(template("linkedin").disable_pkce).toBe(true);
		expect(template("google").disable_pkce).toBeUndefined();
		expect(authorizationUrl("linkedin").searchParams.has("code_challenge")).toBe(false);
	});

	it("Slack joins scopes with commas; an empty scope list sends no scope", () => {
		expect(authorizationUrl("slack", {}, ["chat:write", "channels:read"]).searchParams.get("scope")).toBe(
			"chat:write,channels:read",
		);
		expect(authorizationUrl("github", {}, []).searchParams.has("scope")).toBe(false);
	});

	it("QuickBooks and Zoho declare the callback parameters to capture", () => {
		expect(template("quickbooks").redirect_uri_metadata).toEqual(["realmId"]);
		expect(template("zoho-crm").redirect_uri_metadata).toEqual(["accounts-server"]);
	});
});

describe("placeholders", () => {
	it("Zendesk and Shopify subdomains; a missing one is a UrlParamError", () => {
		expect(authorizationUrl("zendesk", { subdomain: "acme" }).origin).toBe("https://acme.zendesk.com");
		expect(exchange("shopify", { subdomain: "acme" }).url).toBe(
			"https://acme.myshopify.com/admin/oauth/access_token",
		);
		expect(() => exchange("zendesk")).toThrowError(
			expect.objectContaining({ name: "UrlParamError", missing: ["subdomain"] }),
		);
	});

	it("a value that would leave the provider's domain is refused", () => {
		for (const subdomain of ["evil.com#", "evil.com/x?", "a@evil.com"]) {
			expect(() => exchange("zendesk", { subdomain })).toThrowError(
				expect.objectContaining({ invalid: ["subdomain"] }),
			);
		}
		expect(() => exchange("zoho-crm", { extension: "evil.com" })).toThrow(UrlParamError);
	});

	it("defaults: Microsoft tenant common, Zoho data center com, Salesforce login host", () => {
		expect(exchange("microsoft-teams").url).toBe(
			"https://login.microsoftonline.com/common/oauth2/v2.0/token",
		);
		expect(exchange("microsoft", { tenant: "contoso.onmicrosoft.com" }).url).toBe(
			"https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token",
		);
		expect(authorizationUrl("zoho-crm").origin).toBe("https://accounts.zoho.com");
		expect(authorizationUrl("zoho-crm", { extension: "eu" }).origin).toBe("https://accounts.zoho.eu");
		expect(exchange("salesforce").url).toBe("https://login.salesforce.com/services/oauth2/token");
	});

	it("fills both spellings and names every missing value", () => {
		expect(fillPlaceholders(EARLY, { subdomain: "acme", domain: "example.com" })).toBe(
			"https://acme.example.com/x",
		);
		let error: unknown;
		try {
			fillPlaceholders(TWO_MISSING, { b: "" });
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(UrlParamError);
		expect(error instanceof UrlParamError && error.missing).toEqual(["a", "b"]);
		expect(() =>
			fillPlaceholders(TWO_MISSING.replace("{connectionConfig.a}", "{connectionConfig.constructor}"), {
				a: "x",
				b: "y",
			}),
		).toThrow(UrlParamError);
	});
});

describe("PKCE", () => {
	it("matches the RFC 7636 appendix B test vector", async () => {
		const pkce = await createPkce("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
		expect(pkce.challenge).toBe("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
	});

	it("makes fresh 43-character verifiers and refuses malformed ones", async () => {
		const [one, two] = [await createPkce(), await createPkce()];
		expect(one.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(one.verifier).not.toBe(two.verifier);
		expect(one.challenge).toBe(await pkceChallenge(one.verifier));
		await expect(createPkce("too-short")).rejects.toThrow(RangeError);
	});
});

describe("sending", () => {
	const send = (options: { timeoutMs?: number } = {}) =>
		sendTokenRequest(exchange("github"), template("github"), { ...options, now: NOW });
	const tokenUrl = "https://github.com/login/oauth/access_token";

	it("never follows a redirect", async () => {
		const spy = vi
			.spyOn(globalThis, "fetch")
			.mockResolvedValue(new Response(null, { status: 302, headers: { Location: "https://evil.example/" } }));
		expect(await send()).toEqual({ ok: false, reason: "unexpected_status", status: 302 });
		expect(spy.mock.calls[0]?.[1]?.redirect).toBe("manual");
	});

	it("reports network failures and timeouts as values", async () => {
		vi.spyOn(globalThis, "fetch").mockRejectedValue(new TypeError("Network connection lost."));
		expect(await send()).toEqual({ ok: false, reason: "network", message: "Network connection lost." });
		vi.spyOn(globalThis, "fetch").mockImplementation(
			(_, init) =>
				new Promise((_resolve, reject) =>
					init?.signal?.addEventListener("abort", () => reject(init.signal?.reason)),
				),
		);
		expect(await send({ timeoutMs: 20 })).toMatchObject({ ok: false, reason: "timeout" });
	});

	it("tells an error page, an OAuth error and an unreadable body apart", async () => {
		mockProvider(tokenUrl, () => new Response("<html>502 Bad Gateway</html>", { status: 502 }));
		expect(await send()).toEqual({ ok: false, reason: "unexpected_status", status: 502 });
		mockProvider(tokenUrl, () =>
			json({ error: "invalid_grant", error_description: "Token has been expired or revoked." }, 400),
		);
		expect(await send()).toMatchObject({
			ok: false,
			reason: "provider_error",
			error: "invalid_grant",
			status: 400,
		});
		mockProvider(tokenUrl, () => new Response("<html>maintenance</html>"));
		expect(await send()).toEqual({ ok: false, reason: "unexpected_body", status: 200 });
		mockProvider(tokenUrl, () => json({ access_token: "x".repeat(300 * 1024) }));
		expect(await send()).toEqual({ ok: false, reason: "unexpected_body", status: 200 });
	});
});
