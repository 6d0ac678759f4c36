// The generic OAuth 2 engine reading real providers' token responses (quirks included), refreshing,
// and failing as values; each token endpoint is mocked at its own URL.
import { describe, expect, it } from "vitest";
import { buildRefreshRequest, buildTokenRequest } from "../../src/auth-modes/oauth2/token-request";
import { sendTokenRequest } from "../../src/auth-modes/oauth2/token-response";
import type { OAuth2Credentials } from "../../src/connections/credentials";
import {
	bodyOf,
	client,
	custom,
	exchange,
	json,
	mockProvider,
	NOW,
	redirectUri,
	template,
} from "./support/oauth2-templates";

const previous: OAuth2Credentials = {
	type: "OAUTH2",
	access_token: "old",
	refresh_token: "old-refresh",
	raw: {},
};

async function exchangeWith(
	key: string,
	answer: () => Response,
	options: { previous?: OAuth2Credentials } = {},
) {
	const request = exchange(key);
	mockProvider(request.url, answer);
	return sendTokenRequest(request, template(key), { ...options, now: NOW });
}

describe("token responses", () => {
	it("Slack: a user-only install's token sits under authed_user; metadata is captured", async () => {
		const result = await exchangeWith("slack", () =>
			json({
				ok: true,
				app_id: "A0KRD7HC3",
				authed_user: { id: "U1234", scope: "chat:write", access_token: "xoxp-1234", token_type: "user" },
				team: { id: "T9TK3CUKW", name: "Slack Softball Team" },
				enterprise: null,
				is_enterprise_install: false,
			}),
		);
		expect(result).toMatchObject({
			ok: true,
			credentials: { access_token: "xoxp-1234", raw: { app_id: "A0KRD7HC3" } },
			metadata: { "team.id": "T9TK3CUKW" },
		});
	});

	it("Slack: a bot token at the top level wins; ok=false with status 200 is an error", async () => {
		const bot = await exchangeWith("slack", () =>
			json({
				ok: true,
				access_token: "xoxb-176",
				authed_user: { access_token: "xoxp-1" },
				bot_user_id: "U0KRQ",
			}),
		);
		expect(bot).toMatchObject({
			ok: true,
			credentials: { access_token: "xoxb-176" },
			metadata: { bot_user_id: "U0KRQ" },
		});
		const failed = await exchangeWith("slack", () => json({ ok: false, error: "invalid_code" }));
		expect(failed).toEqual({ ok: false, reason: "provider_error", error: "invalid_code", status: 200 });
	});

	it("GitHub: an error with status 200, and a form-encoded success", async () => {
		const failed = await exchangeWith("github", () =>
			json({
				error: "bad_verification_code",
				error_description: "The code passed is incorrect or expired.",
				error_uri:
					"https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#bad-verification-code",
			}),
		);
		expect(failed).toEqual({
			ok: false,
			reason: "provider_error",
			error: "bad_verification_code",
			description: "The code passed is incorrect or expired.",
			status: 200,
		});
		const token = "gho_16C7e42F292c6912E7710c838347Ae178B4a";
		const form = await exchangeWith(
			"github",
			() => new Response(`access_token=${token}&scope=repo%2Cgist&token_type=bearer`),
		);
		expect(form).toEqual({
			ok: true,
			credentials: {
				type: "OAUTH2",
				access_token: token,
				raw: { access_token: token, scope: "repo,gist", token_type: "bearer" },
			},
			metadata: {},
		});
	});

	it("Salesforce: instance_url is captured; no expires_in means no expires_at", async () => {
		const result = await exchangeWith("salesforce", () =>
			json({
				access_token: "00Dxx!AQ0",
				refresh_token: "5Aep861",
				instance_url: "https://acme.my.salesforce.com",
				id: "https://login.salesforce.com/id/00Dx/005x",
				token_type: "Bearer",
				issued_at: "1278448832702",
			}),
		);
		expect(result).toMatchObject({ ok: true, metadata: { instance_url: "https://acme.my.salesforce.com" } });
		expect(result.ok && "expires_at" in result.credentials).toBe(false);
	});

	it("expires_in as a numeric string (Naver), and in milliseconds when the template says so", async () => {
		const naver = await exchangeWith("naver", () =>
			json({ access_token: "AAAA", refresh_token: "c8ce", token_type: "bearer", expires_in: "3600" }),
		);
		expect(naver.ok && naver.credentials.expires_at).toBe("2026-11-23T11:00:00.000Z");
		const milliseconds = custom({ expires_in_unit: "milliseconds" });
		mockProvider("https://id.example.com/token", () => json({ access_token: "t", expires_in: 7_200_000 }));
		const request = buildTokenRequest({
			template: milliseconds,
			...client,
			redirectUri,
			code: "c",
			connectionConfig: {},
		});
		const result = await sendTokenRequest(request, milliseconds, { now: NOW });
		expect(result.ok && result.credentials.expires_at).toBe("2026-11-23T12:00:00.000Z");
	});

	it("Withings: tokens wrapped in {status, body}; errors with status 200", async () => {
		const ok = await exchangeWith("withings", () =>
			json({
				status: 0,
				body: { userid: "363", access_token: "a075f8c1", refresh_token: "f58e3ee2", expires_in: 10800 },
			}),
		);
		expect(ok).toMatchObject({
			ok: true,
			credentials: {
				access_token: "a075f8c1",
				refresh_token: "f58e3ee2",
				expires_at: "2026-11-23T13:00:00.000Z",
			},
		});
		const failed = await exchangeWith("withings", () =>
			json({ status: 503, body: {}, error: "Invalid Params: invalid client id" }),
		);
		expect(failed).toMatchObject({
			ok: false,
			reason: "provider_error",
			error: "Invalid Params: invalid client id",
		});
	});

	it("Facebook: an error object is a provider error", async () => {
		const result = await exchangeWith("facebook", () =>
			json(
				{ error: { message: "This authorization code has expired.", type: "OAuthException", code: 100 } },
				400,
			),
		);
		expect(result).toEqual({
			ok: false,
			reason: "provider_error",
			error: "OAuthException",
			description: "This authorization code has expired.",
			status: 400,
		});
	});
});

describe("refresh", () => {
	it("Figma refreshes at its own refresh_url with Basic auth; a response without refresh_token keeps the old one", async () => {
		const figma = template("figma");
		const seen = mockProvider("https://api.figma.com/v1/oauth/refresh", () =>
			json({ access_token: "new", expires_in: 7776000 }),
		);
		const request = buildRefreshRequest({
			template: figma,
			...client,
			refreshToken: "old-refresh",
			connectionConfig: {},
		});
		const result = await sendTokenRequest(request, figma, { previous, now: NOW });
		expect(result).toMatchObject({
			ok: true,
			credentials: { access_token: "new", refresh_token: "old-refresh" },
		});
		const [arrived] = seen;
		if (!arrived) throw new Error("no request reached Figma");
		expect(arrived.headers.get("Authorization")).toBe(`Basic ${btoa("client-id:client-secret")}`);
		expect(await bodyOf(arrived)).toEqual({ grant_type: "refresh_token", refresh_token: "old-refresh" });
	});

	it("a rotating provider's new refresh token replaces the old one", async () => {
		const answer = () => json({ access_token: "new", refresh_token: "rotated", expires_in: 1800 });
		const result = await exchangeWith("xero", answer, { previous });
		expect(result.ok && result.credentials.refresh_token).toBe("rotated");
	});

	it("Zendesk sends its refresh_params", async () => {
		const zendesk = template("zendesk");
		const request = buildRefreshRequest({
			template: zendesk,
			...client,
			refreshToken: "r1",
			connectionConfig: { subdomain: "acme" },
		});
		expect(request.url).toBe("https://acme.zendesk.com/oauth/tokens");
		expect(await bodyOf(request)).toEqual({
			expires_in: "1800",
			grant_type: "refresh_token",
			refresh_token: "r1",
			client_id: "client-id",
			client_secret: "client-secret",
		});
	});

	it("no template overrides the grant, the code, the refresh token or the client secret", async () => {
		const hostile = custom({
			token_params: { grant_type: "password", code: "evil", client_secret: "evil" },
			refresh_params: { grant_type: "password", refresh_token: "evil" },
		});
		const exchanged = await bodyOf(
			buildTokenRequest({ template: hostile, ...client, redirectUri, code: "c", connectionConfig: {} }),
		);
		expect(exchanged).toMatchObject({
			grant_type: "authorization_code",
			code: "c",
			client_secret: "client-secret",
		});
		const refreshed = await bodyOf(
			buildRefreshRequest({ template: hostile, ...client, refreshToken: "r", connectionConfig: {} }),
		);
		expect(refreshed).toMatchObject({ grant_type: "refresh_token", refresh_token: "r" });
	});
});
