// What a refresh stores (docs/flows.md#never-losing-a-token): rotated refresh tokens, the old one when the provider sends
// none, string `expires_in`, the half-lifetime margin for short-lived tokens, and a refresh request
// no template can bend.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { needsRefresh, refreshMarginMs } from "../../src/connections/freshness";
import { keyringFrom } from "../../src/crypto/cipher";
import { database } from "../../src/db/client";
import { saveRefreshedCredentials, sealRefreshed } from "../../src/db/credential-writes";
import { HttpResponse, useProviderMocks } from "./support/provider-mocks";
import { connection, forgetReads, provider, read, stored, tokens, until } from "./support/refresh";

const server = useProviderMocks();

describe("refreshed credentials", () => {
	it("persists rotation: the next expiry refreshes with the new refresh token", async () => {
		const idp = await provider(server);
		// A strict rotating provider: each refresh token works once.
		const live = new Set(["rt-1"]);
		idp.respond((call, index) => {
			const presented = call.form.get("refresh_token") ?? "";
			if (!live.delete(presented)) return HttpResponse.json({ error: "invalid_grant" }, { status: 400 });
			live.add(`rt-${index + 2}`);
			return tokens(`at-${index + 2}`, `rt-${index + 2}`, 1);
		});
		const connectionId = await connection(idp.key, -1000);

		const first = await read(idp.key, connectionId);
		expect(first.json.credentials).toMatchObject({ access_token: "at-2", refresh_token: "rt-2" });
		expect((await stored(idp.key, connectionId))?.credentials).toMatchObject({ refresh_token: "rt-2" });
		// The 1-second token expires; the next read refreshes with the rotated token.
		const expiresAt = Date.parse(first.json.credentials.expires_at);
		await until(() => Date.now() > expiresAt);
		const second = await read(idp.key, connectionId);
		expect(second.status).toBe(200);
		expect(second.json.credentials).toMatchObject({ access_token: "at-3", refresh_token: "rt-3" });
		expect(idp.calls.map((call) => call.form.get("refresh_token"))).toEqual(["rt-1", "rt-2"]);
	});

	it("keeps the old refresh token when the response has none", async () => {
		const idp = await provider(server);
		idp.respond((_, index) => tokens(`at-${index + 2}`, undefined));
		const connectionId = await connection(idp.key, -1000);
		const first = await read(idp.key, connectionId);
		expect(first.json.credentials).toMatchObject({ access_token: "at-2", refresh_token: "rt-1" });
		expect((await stored(idp.key, connectionId))?.credentials).toMatchObject({
			access_token: "at-2",
			refresh_token: "rt-1",
		});
		const forced = await read(idp.key, connectionId, "&force_refresh=true");
		expect(forced.json.credentials.access_token).toBe("at-3");
		expect(idp.calls.map((call) => call.form.get("refresh_token"))).toEqual(["rt-1", "rt-1"]);
	});

	it("understands a string expires_in", async () => {
		const idp = await provider(server);
		idp.respond(() => tokens("at-2", "rt-2", "3600"));
		const connectionId = await connection(idp.key, -1000);
		const before = Date.now();
		const first = await read(idp.key, connectionId);
		const expiresAt = Date.parse(first.json.credentials.expires_at);
		expect(expiresAt).toBeGreaterThanOrEqual(before + 3600_000);
		expect(expiresAt).toBeLessThanOrEqual(Date.now() + 3600_000);
		// Known to be fresh for an hour: the next reads do not refresh.
		await read(idp.key, connectionId);
		expect(idp.calls).toHaveLength(1);
	});

	it("refreshes a 10-minute token once at half its life, not on every read", async () => {
		const idp = await provider(server);
		idp.respond((_, index) => tokens(`at-${index + 2}`, `rt-${index + 2}`, 600));
		const connectionId = await connection(idp.key, -1000);
		await read(idp.key, connectionId);
		// 600 s left of a 600 s token: fresh under the capped margin (a 15-min margin would refresh each time).
		for (let i = 0; i < 10; i++) {
			expect((await read(idp.key, connectionId)).json.credentials.access_token).toBe("at-2");
		}
		expect(idp.calls).toHaveLength(1);

		// The same token issued 4 min 50 s ago is still fresh; issued 5 min 10 s ago it is refreshed.
		await ageCredentials(idp.key, connectionId, 600_000, 290_000);
		expect((await read(idp.key, connectionId)).json.credentials.access_token).toBe("at-2");
		expect(idp.calls).toHaveLength(1);
		await ageCredentials(idp.key, connectionId, 600_000, 310_000);
		expect((await read(idp.key, connectionId)).json.credentials.access_token).toBe("at-3");
		expect(idp.calls).toHaveLength(2);
	});

	it("takes the margin from the config's token_expiration_buffer", async () => {
		const idp = await provider(server, { token_expiration_buffer: 60 });
		idp.respond(() => tokens("at-2", "rt-2"));
		// Five minutes left: fresh under a 1-minute buffer (stale under the default 15 minutes).
		const fiveMinutes = await connection(idp.key, 300_000);
		expect((await read(idp.key, fiveMinutes)).json.credentials.access_token).toBe("at-1");
		const halfMinute = await connection(idp.key, 30_000);
		expect((await read(idp.key, halfMinute)).json.credentials.access_token).toBe("at-2");
		expect(idp.calls).toHaveLength(1);
	});

	it("sends the refresh grant the template cannot override, with the template's extra parameters", async () => {
		const idp = await provider(server, {
			refresh_params: { grant_type: "password", refresh_token: "forged", audience: "api" },
		});
		idp.respond(() => tokens("at-2", "rt-2"));
		const connectionId = await connection(idp.key, -1000);
		await read(idp.key, connectionId);
		const form = idp.calls[0]?.form;
		expect(form?.get("grant_type")).toBe("refresh_token");
		expect(form?.getAll("refresh_token")).toEqual(["rt-1"]);
		expect(form?.get("audience")).toBe("api");
		expect(form?.get("client_id")).toBe("client-id-123");
		expect(form?.get("client_secret")).toBe("client-secret-SENSITIVE");
	});

	it("returns OAuth 1 and refresh-token-less connections as they are, even when forced", async () => {
		const idp = await provider(server);
		const noRefresh = await connection(idp.key, -1000, { refresh_token: undefined });
		const expired = await read(idp.key, noRefresh, "&force_refresh=true");
		expect(expired.status).toBe(200);
		expect(expired.json.credentials.access_token).toBe("at-1");
		const oauth1 = await connection(idp.key, 0, {
			access_token: undefined,
			refresh_token: undefined,
			expires_at: undefined,
			oauth_token: "ot-1",
			oauth_token_secret: "ots-1",
		});
		const forced = await read(idp.key, oauth1, "&force_refresh=true");
		expect(forced.json.credentials).toMatchObject({ type: "OAUTH1", oauth_token: "ot-1" });
		expect(idp.calls).toHaveLength(0);
	});
});

describe("freshness margin", () => {
	const template = { token_expiration_buffer: 900 };
	const at = (issuedAt: number | null, expiresAt: number) => ({
		credentials: {
			type: "OAUTH2" as const,
			access_token: "a",
			refresh_token: "r",
			expires_at: new Date(expiresAt).toISOString(),
			raw: {},
		},
		credentialsIssuedAt: issuedAt,
	});

	it("is the template's buffer, capped at half the token's lifetime", () => {
		expect(refreshMarginMs(undefined, undefined)).toBe(900_000);
		expect(refreshMarginMs({ token_expiration_buffer: 60 }, undefined)).toBe(60_000);
		expect(refreshMarginMs(template, 3600_000)).toBe(900_000);
		expect(refreshMarginMs(template, 600_000)).toBe(300_000);
	});

	it("marks a 10-minute token stale after 5 minutes and a 1-hour token 15 minutes before expiry", () => {
		const issued = 1_000_000_000_000;
		const tenMinutes = at(issued, issued + 600_000);
		expect(needsRefresh(tenMinutes, template, issued + 299_000)).toBe(false);
		expect(needsRefresh(tenMinutes, template, issued + 300_000)).toBe(true);
		const hour = at(issued, issued + 3600_000);
		expect(needsRefresh(hour, template, issued + 2699_000)).toBe(false);
		expect(needsRefresh(hour, template, issued + 2700_000)).toBe(true);
		// Imported: lifetime unknown, the whole buffer applies.
		expect(needsRefresh(at(null, issued + 600_000), template, issued)).toBe(true);
	});

	it("never refreshes without a refresh token or a known expiry", () => {
		const now = 1_000_000_000_000;
		expect(
			needsRefresh(
				{ ...at(now, now - 1), credentials: { type: "OAUTH2", access_token: "a", raw: {} } },
				template,
				now,
			),
		).toBe(false);
		expect(
			needsRefresh(
				{
					credentials: { type: "OAUTH2", access_token: "a", refresh_token: "r", raw: {} },
					credentialsIssuedAt: now,
				},
				template,
				now,
			),
		).toBe(false);
	});
});

/** Rewrites the stored token as one with `lifetimeMs`, issued `ageMs` ago (through the refresh writer). */
async function ageCredentials(key: string, connectionId: string, lifetimeMs: number, ageMs: number) {
	const row = await stored(key, connectionId);
	if (row?.credentials.type !== "OAUTH2") throw new Error("no OAuth 2 connection");
	const issuedAt = Date.now() - ageMs;
	const credentials = { ...row.credentials, expires_at: new Date(issuedAt + lifetimeMs).toISOString() };
	const keyring = await keyringFrom(env);
	const sealed = await sealRefreshed(keyring, row, credentials, issuedAt, row.metadata);
	const saved = await saveRefreshedCredentials(
		database(env.DB),
		{ id: row.id, issuedAt: row.credentialsIssuedAt },
		sealed,
	);
	if (!saved) throw new Error("ageCredentials: not saved");
	// Time passing would also have expired what the read path remembers.
	await forgetReads(key, connectionId);
}
