// Failed refreshes (docs/flows.md#refresh-failures): a rejected refresh token marks the connection for re-authorization
// and cools down; an unreachable or failing provider leaves a still-valid token in service.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { REJECTION_COOLDOWN_MS } from "../../src/connections/refresher";
import { HttpResponse, useProviderMocks } from "./support/provider-mocks";
import { connection, provider, read, stored, tokens } from "./support/refresh";

const server = useProviderMocks();

const rejected = () =>
	HttpResponse.json(
		{ error: "invalid_grant", error_description: "Token has been revoked." },
		{ status: 400 },
	);

describe("invalid_grant", () => {
	it("marks needs_reauth, answers refresh_token_rejected, and does not ask again during the cooldown", async () => {
		const idp = await provider(server);
		idp.respond(rejected);
		const connectionId = await connection(idp.key, -1000);

		const first = await read(idp.key, connectionId);
		expect(first.status).toBe(424);
		expect(first.json.code).toBe("refresh_token_rejected");
		expect(first.json.error).toContain("invalid_grant");
		const row = await stored(idp.key, connectionId);
		expect(row?.needsReauth).toBe(true);
		expect(row?.lastRefreshError).toMatchObject({ code: "refresh_token_rejected", at: expect.any(String) });

		const again = await Promise.all([
			read(idp.key, connectionId),
			read(idp.key, connectionId, "&force_refresh=true"),
		]);
		expect(again.map((answer) => answer.json.code)).toEqual([
			"refresh_token_rejected",
			"refresh_token_rejected",
		]);
		expect(idp.calls).toHaveLength(1);

		// Once the cooldown is over the provider is asked again.
		const past = new Date(Date.now() - REJECTION_COOLDOWN_MS - 1000).toISOString();
		await env.DB.prepare(
			"UPDATE connections SET last_refresh_error = json_set(last_refresh_error, '$.at', ?) WHERE id = ?",
		)
			.bind(past, row?.id)
			.run();
		expect((await read(idp.key, connectionId)).json.code).toBe("refresh_token_rejected");
		expect(idp.calls).toHaveLength(2);
	});

	it("shows needs_reauth and last_refresh_error in the connection object while the token lasts", async () => {
		const idp = await provider(server);
		idp.respond(rejected);
		const connectionId = await connection(idp.key, 3600_000);
		const forced = await read(idp.key, connectionId, "&force_refresh=true");
		expect(forced.status).toBe(424);

		const plain = await read(idp.key, connectionId);
		expect(plain.status).toBe(200);
		expect(plain.json.credentials.access_token).toBe("at-1");
		expect(plain.json.needs_reauth).toBe(true);
		expect(plain.json.last_refresh_error).toEqual({
			code: "refresh_token_rejected",
			message: expect.stringContaining("Token has been revoked."),
			at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
		});
		expect((await read(idp.key, connectionId, "&force_refresh=true")).status).toBe(424);
		expect(idp.calls).toHaveLength(1);
	});
});

describe("an unreachable or failing provider", () => {
	const cases = [
		[
			"HTTP 503",
			() => new HttpResponse("down for maintenance", { status: 503 }),
			"provider_unreachable",
			504,
		],
		["a network failure", () => HttpResponse.error(), "provider_unreachable", 504],
		[
			"an OAuth error other than invalid_grant",
			() => HttpResponse.json({ error: "invalid_client" }, { status: 401 }),
			"refresh_failed",
			502,
		],
		["a body without a token", () => HttpResponse.json({ ok: true }), "refresh_failed", 502],
	] as const;

	for (const [what, answer, code, status] of cases) {
		it(`serves the still-valid old token after ${what}, and fails once it has expired`, async () => {
			const idp = await provider(server);
			idp.respond(answer);
			// Five minutes left: stale under the 15-minute margin, but valid.
			const valid = await connection(idp.key, 300_000);
			const served = await read(idp.key, valid);
			expect(served.status).toBe(200);
			expect(served.json.credentials.access_token).toBe("at-1");
			expect(served.json.needs_reauth).toBe(false);
			expect(served.json.last_refresh_error).toMatchObject({ code });
			expect((await stored(idp.key, valid))?.lastRefreshError).toMatchObject({ code });

			const expired = await connection(idp.key, -1000);
			const failed = await read(idp.key, expired);
			expect(failed.status).toBe(status);
			expect(failed.json.code).toBe(code);
			expect(idp.calls).toHaveLength(2);
		});
	}

	it("after a transient failure, serves the valid old token for a while without asking the provider again", async () => {
		const idp = await provider(server);
		idp.respond(() => new HttpResponse("down", { status: 503 }));
		const connectionId = await connection(idp.key, 300_000);
		expect((await read(idp.key, connectionId)).json.last_refresh_error).toMatchObject({
			code: "provider_unreachable",
		});
		for (let i = 0; i < 5; i++) {
			const again = await read(idp.key, connectionId);
			expect(again.status).toBe(200);
			expect(again.json.credentials.access_token).toBe("at-1");
		}
		expect(idp.calls).toHaveLength(1);
		// A forced read still goes to the provider.
		idp.respond(() => tokens("at-2", "rt-2"));
		const forced = await read(idp.key, connectionId, "&force_refresh=true");
		expect(forced.json.credentials.access_token).toBe("at-2");
		expect(idp.calls).toHaveLength(2);
	});

	it("fails a forced refresh rather than passing the old token off as new", async () => {
		const idp = await provider(server);
		idp.respond(() => new HttpResponse(null, { status: 502 }));
		const connectionId = await connection(idp.key, 3600_000);
		const forced = await read(idp.key, connectionId, "&force_refresh=true");
		expect(forced.status).toBe(504);
		expect(forced.json.code).toBe("provider_unreachable");
		// A later success clears the recorded error.
		idp.respond(() => tokens("at-2", "rt-2"));
		const next = await read(idp.key, connectionId, "&force_refresh=true");
		expect(next.json).toMatchObject({ last_refresh_error: null, credentials: { access_token: "at-2" } });
	});

	it("times out a provider that never answers: provider_unreachable, old valid token served", async () => {
		const idp = await provider(server);
		idp.respond(() => new Promise<Response>(() => {}));
		const connectionId = await connection(idp.key, 300_000);
		const served = await read(idp.key, connectionId);
		expect(served.status).toBe(200);
		expect(served.json.credentials.access_token).toBe("at-1");
		expect(served.json.last_refresh_error).toMatchObject({
			code: "provider_unreachable",
			message: expect.stringContaining("did not answer in time"),
		});
	}, 30_000);
});
