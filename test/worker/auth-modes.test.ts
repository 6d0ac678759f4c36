// The auth-mode family (src/auth-modes/): every mode a template can name has a module, and each
// module says when its credentials expire, whether they refresh, and how an API request to the
// provider carries them.
import { describe, expect, it } from "vitest";
import { hmacSha1, signatureBaseString } from "../../src/auth-modes/oauth1/signature";
import { authMode, canRefresh, expiresAt } from "../../src/auth-modes/registry";
import { AUTH_MODE_NAMES, type Credentials } from "../../src/connections/credentials";
import type { Config } from "../../src/db/configs";
import { listTemplates } from "../../src/providers/catalog";

const config: Config = {
	id: 1,
	uniqueKey: "k",
	provider: "custom",
	oauthClientId: "consumer-key",
	oauthClientSecret: "consumer-secret",
	oauthScopes: [],
	template: null,
	appSlug: null,
	createdAt: "",
	updatedAt: "",
};
const oauth2: Credentials = {
	type: "OAUTH2",
	access_token: "at-1",
	refresh_token: "rt-1",
	expires_at: "2030-01-01T00:00:00.000Z",
	raw: {},
};
const oauth1: Credentials = { type: "OAUTH1", oauth_token: "tok", oauth_token_secret: "tok-secret", raw: {} };

describe("auth modes", () => {
	it("has a module for every mode the catalog uses, with a browser flow for the OAuth modes", () => {
		const used = new Set(listTemplates().map(([, template]) => template.auth_mode));
		for (const mode of used) expect(AUTH_MODE_NAMES).toContain(mode);
		for (const name of AUTH_MODE_NAMES) expect(authMode(name)).toBeDefined();
		for (const name of ["OAUTH2", "OAUTH1"] as const) expect(authMode(name).flow).toBeDefined();
		// credentials a user types in have no browser flow: their routes take them (docs/api.md#credential-routes)
		for (const name of ["API_KEY", "BASIC", "OAUTH2_CC"] as const)
			expect(authMode(name).flow).toBeUndefined();
	});

	it("OAuth 2: expiry from expires_at, refreshable only with a refresh token", () => {
		expect(expiresAt(oauth2)).toBe(Date.parse("2030-01-01T00:00:00.000Z"));
		expect(canRefresh(oauth2)).toBe(true);
		const { refresh_token: _, expires_at: __, ...bare } = oauth2;
		expect(expiresAt(bare)).toBeUndefined();
		expect(canRefresh(bare)).toBe(false);
	});

	it("OAuth 1: tokens never expire and never refresh", () => {
		expect(expiresAt(oauth1)).toBeUndefined();
		expect(canRefresh(oauth1)).toBe(false);
	});

	it("OAuth 2 authorizes an API request with a Bearer header, leaving the original untouched", async () => {
		const original = new Request("https://api.example.com/user?x=1", {
			headers: { Accept: "application/json" },
		});
		const authorized = await authMode("OAUTH2").authorize(original, { config, credentials: oauth2 });
		expect(authorized.headers.get("Authorization")).toBe("Bearer at-1");
		expect(authorized.headers.get("Accept")).toBe("application/json");
		expect(authorized.url).toBe(original.url);
		expect(original.headers.has("Authorization")).toBe(false);
	});

	it("OAuth 1 signs the request's method, URL and query with the consumer and token secrets", async () => {
		const url = "https://api.example.com/1.1/statuses?count=2&include_rts=true";
		const authorized = await authMode("OAUTH1").authorize(new Request(url, { method: "GET" }), {
			config,
			credentials: oauth1,
		});
		const header = authorized.headers.get("Authorization") ?? "";
		const fields = Object.fromEntries(
			Array.from(header.slice("OAuth ".length).matchAll(/([\w%]+)="([^"]*)"/g), (m) => [
				decodeURIComponent(m[1] ?? ""),
				decodeURIComponent(m[2] ?? ""),
			]),
		);
		expect(fields).toMatchObject({ oauth_consumer_key: "consumer-key", oauth_token: "tok" });
		const { oauth_signature: signature, ...protocol } = fields;
		const base = signatureBaseString("GET", url, [...new URL(url).searchParams, ...Object.entries(protocol)]);
		expect(signature).toBe(await hmacSha1(base, "consumer-secret", "tok-secret"));
		// The wrong token secret gives another signature: the secret is part of what is signed.
		expect(signature).not.toBe(await hmacSha1(base, "consumer-secret", "other"));
	});
});
