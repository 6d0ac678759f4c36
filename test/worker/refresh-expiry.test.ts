// Absurd expiries (docs/flows.md#absurd-expiries): an `expires_in` no clock can hold must never lose
// a rotated refresh token, fail a code exchange, or turn an import into a 500.
import { describe, expect, it } from "vitest";
import { call, createConfig, unique } from "./support/api";
import { createCustomConfig, expectPage, flowState, get, postedMessage } from "./support/oauth-flow";
import { HttpResponse, http, useProviderMocks } from "./support/provider-mocks";
import { connection, provider, read, stored, tokens } from "./support/refresh";

const server = useProviderMocks();

describe("a refresh answer with an absurd expires_in", () => {
	for (const expiresIn of [1e19, 1e300, -5]) {
		it(`keeps the rotated refresh token and answers the new access token (expires_in ${expiresIn})`, async () => {
			const idp = await provider(server);
			idp.respond(() => tokens("at-2", "rt-2", expiresIn));
			const connectionId = await connection(idp.key, -1000);

			const answer = await read(idp.key, connectionId);
			expect(answer.status).toBe(200);
			expect(answer.json.credentials).toMatchObject({ access_token: "at-2", refresh_token: "rt-2" });
			// No known expiry: the token is served until the provider says otherwise.
			expect(answer.json.credentials).not.toHaveProperty("expires_at");
			expect((await stored(idp.key, connectionId))?.credentials).toMatchObject({
				access_token: "at-2",
				refresh_token: "rt-2",
			});
			// The next read is served from D1: the dead rt-1 is never sent again.
			expect((await read(idp.key, connectionId)).json.credentials.access_token).toBe("at-2");
			expect(idp.calls.map((c) => c.form.get("refresh_token"))).toEqual(["rt-1"]);
		});
	}

	it("keeps an expiry up to ten years out", async () => {
		const idp = await provider(server);
		const nineYears = 9 * 365 * 24 * 3600;
		idp.respond(() => tokens("at-2", "rt-2", nineYears));
		const connectionId = await connection(idp.key, -1000);
		const answer = await read(idp.key, connectionId);
		expect(Date.parse(answer.json.credentials.expires_at) - Date.now()).toBeGreaterThan(
			(nineYears - 60) * 1000,
		);
	});
});

describe("a code exchange answered with an absurd expires_in", () => {
	it("stores the connection without an expiry and reports success", async () => {
		const key = unique("custom");
		await createCustomConfig(key);
		server.use(
			http.post("https://id.example.com/token", () =>
				HttpResponse.json({ access_token: "at-1", refresh_token: "rt-1", expires_in: 1e19 }),
			),
		);
		const state = await flowState(key, "user-1");
		const page = await get(`/oauth/callback?code=the-code&state=${state}`);
		expectPage(page, 200);
		expect(postedMessage(await page.text()).eventType).toBe("AUTHORIZATION_SUCEEDED");
		const stored = await read(key, "user-1");
		expect(stored.json.credentials).toMatchObject({ access_token: "at-1", refresh_token: "rt-1" });
		expect(stored.json.credentials).not.toHaveProperty("expires_at");
	});
});

describe("an import with an expires_at no date can hold", () => {
	for (const expiresAt of [1e20, 8.64e15 + 1, Number.MAX_SAFE_INTEGER]) {
		it(`answers 400 invalid_body and stores nothing (expires_at ${expiresAt})`, async () => {
			const key = unique("import");
			await createConfig(key);
			const answer = await call("POST", "/connection", {
				body: { provider_config_key: key, connection_id: "u1", access_token: "t", expires_at: expiresAt },
			});
			expect([answer.status, answer.json.code]).toEqual([400, "invalid_body"]);
			expect((await read(key, "u1")).status).toBe(404);
		});
	}

	it("still takes a far but real date", async () => {
		const key = unique("import");
		await createConfig(key);
		const answer = await call("POST", "/connection", {
			body: {
				provider_config_key: key,
				connection_id: "u1",
				access_token: "t",
				expires_at: "9999-12-31T00:00:00Z",
			},
		});
		expect(answer.status).toBe(201);
		expect(answer.json.credentials.expires_at).toBe("9999-12-31T00:00:00.000Z");
	});
});
