import { describe, expect, it } from "vitest";
import { call, createConfig, importConnection, unique } from "./support/api";

describe("connections (docs/api.md#connections and docs/api.md#modern-aliases)", () => {
	it("imports credentials and reads them back in the early shape", async () => {
		const key = unique("gh");
		await createConfig(key);
		const expiresAt = new Date(Date.now() + 3600_000).toISOString();
		const imported = await call("POST", "/connection", {
			body: {
				provider_config_key: key,
				connection_id: "user@example.com",
				access_token: "at-1",
				refresh_token: "rt-1",
				expires_at: expiresAt,
				connection_config: { subdomain: "acme" },
				metadata: { realmId: "123" },
				raw: { access_token: "at-1", refresh_token: "rt-1", expires_in: 3600, scope: "repo" },
			},
		});
		expect(imported.status).toBe(201);

		const read = await call("GET", `/connection/user@example.com?provider_config_key=${key}`);
		expect(read.status).toBe(200);
		expect(read.json).toEqual({
			id: expect.any(Number),
			created_at: expect.any(String),
			updated_at: expect.any(String),
			provider_config_key: key,
			connection_id: "user@example.com",
			credentials: {
				type: "OAUTH2",
				access_token: "at-1",
				refresh_token: "rt-1",
				expires_at: expiresAt,
				raw: { access_token: "at-1", refresh_token: "rt-1", expires_in: 3600, scope: "repo" },
			},
			connection_config: { subdomain: "acme" },
			metadata: { realmId: "123" },
			account_id: 0,
			needs_reauth: false,
			last_refresh_error: null,
			refresh_failures: 0,
			refresh_exhausted: false,
			end_user: null,
			tags: {},
		});
		expect(imported.json).toEqual(read.json);
	});

	it("accepts expires_at as ISO text or epoch seconds or milliseconds", async () => {
		const key = unique("exp");
		await createConfig(key);
		const at = Date.UTC(2030, 0, 1);
		for (const [id, value] of [
			["iso", new Date(at).toISOString()],
			["seconds", at / 1000],
			["millis", at],
		] as const) {
			await importConnection(key, id, { expires_at: value });
			const read = await call("GET", `/connection/${id}?provider_config_key=${key}`);
			expect(read.json.credentials.expires_at).toBe("2030-01-01T00:00:00.000Z");
		}
	});

	it("imports and serves OAuth 1.0a credentials", async () => {
		const key = unique("trello");
		await createConfig(key, { provider: "trello" });
		const response = await call("POST", "/connection", {
			body: { provider_config_key: key, connection_id: "u1", oauth_token: "tok", oauth_token_secret: "sec" },
		});
		expect(response.status).toBe(201);
		expect(response.json.credentials).toEqual({
			type: "OAUTH1",
			oauth_token: "tok",
			oauth_token_secret: "sec",
			raw: { oauth_token: "tok", oauth_token_secret: "sec" },
		});
	});

	it("serves the Pizzly document's form with ?integration_key=", async () => {
		const key = unique("pz");
		await createConfig(key);
		await importConnection(key, "u1", { raw: { access_token: "access-token-SENSITIVE", x: 1 } });
		const read = await call("GET", `/connection/u1?integration_key=${key}`);
		expect(read.status).toBe(200);
		expect(read.json.connection).toMatchObject({
			integration_key: key,
			connection_id: "u1",
			credentials: {
				type: "OAUTH2",
				accessToken: "access-token-SENSITIVE",
				refreshToken: "refresh-token-SENSITIVE",
				expiresAt: expect.any(String),
				raw: { access_token: "access-token-SENSITIVE", x: 1 },
			},
			raw_response: { access_token: "access-token-SENSITIVE", x: 1 },
		});
	});

	it("lists, filters (modern aliases) and deletes connections", async () => {
		const key = unique("list");
		const other = unique("other");
		await createConfig(key);
		await createConfig(other);
		await importConnection(key, "a");
		await importConnection(key, "b");
		await importConnection(other, "a");

		const early = await call("GET", "/connection");
		const mine = early.json.connections.filter(
			(c: { provider_config_key: string }) => c.provider_config_key === key,
		);
		const item = (id: string) => ({
			id: expect.any(Number),
			connection_id: id,
			provider: key,
			provider_config_key: key,
			created: expect.any(String),
		});
		expect(mine).toEqual([item("a"), item("b")]);
		for (const item of early.json.connections) expect(JSON.stringify(item)).not.toContain("SENSITIVE");

		const byIntegration = await call("GET", `/connections?integrationId=${key}`);
		expect(byIntegration.json.connections.map((c: { connection_id: string }) => c.connection_id)).toEqual([
			"a",
			"b",
		]);
		const byId = await call("GET", `/connections?connectionId=a&integrationId=${other}`);
		expect(byId.json.connections).toHaveLength(1);
		const both = await call("GET", `/connections?connectionId=a&integrationId=${key},${other}`);
		expect(both.json.connections.map((c: { provider_config_key: string }) => c.provider_config_key)).toEqual([
			key,
			other,
		]);
		const bad = await call("GET", "/connections?integrationId=ok,has%20space");
		expect([bad.status, bad.json.code]).toEqual([400, "invalid_provider_config_key"]);

		expect((await call("DELETE", `/connection/a?provider_config_key=${key}`)).status).toBe(200);
		expect((await call("DELETE", `/connections/b?provider_config_key=${key}`)).json).toEqual({
			success: true,
		});
		const gone = await call("GET", `/connection/a?provider_config_key=${key}`);
		expect([gone.status, gone.json.code]).toEqual([404, "unknown_connection"]);
		expect((await call("GET", `/connection/a?provider_config_key=${other}`)).status).toBe(200);
		const again = await call("DELETE", `/connection/a?provider_config_key=${key}`);
		expect([again.status, again.json.code]).toEqual([404, "unknown_connection"]);
	});

	it("modern GET /connections/:id hides the refresh token unless refresh_token=true", async () => {
		const key = unique("modern");
		await createConfig(key);
		await importConnection(key, "u1");
		const hidden = await call(
			"GET",
			`/connections/u1?provider_config_key=${key}&force_refresh=false&refresh_token=false`,
		);
		expect(hidden.status).toBe(200);
		expect(hidden.json.credentials.access_token).toBe("access-token-SENSITIVE");
		expect(hidden.json.credentials).not.toHaveProperty("refresh_token");
		const shown = await call("GET", `/connections/u1?provider_config_key=${key}&refresh_token=true`);
		expect(shown.json.credentials.refresh_token).toBe("refresh-token-SENSITIVE");
	});

	it("serves the modern integration aliases", async () => {
		const key = unique("int");
		await createConfig(key);
		const list = await call("GET", "/integrations");
		expect(list.json.data).toContainEqual({
			unique_key: key,
			provider: "github",
			created_at: expect.any(String),
			updated_at: expect.any(String),
		});
		const one = await call("GET", `/integrations/${key}`);
		expect(one.json.data).toMatchObject({ unique_key: key, provider: "github" });
		expect(JSON.stringify(one.json)).not.toContain("SENSITIVE");
		expect((await call("DELETE", `/integrations/${key}`)).json).toEqual({ success: true });
		expect((await call("GET", `/integrations/${key}`)).status).toBe(404);
	});

	it("treats connection ids as data: emails, spaces, unicode, markup, quotes", async () => {
		const key = unique("ids");
		await createConfig(key);
		for (const id of [
			"a b",
			"ünï-çødé 🚀",
			"</script><script>alert(1)</script>",
			"x'; DROP TABLE connections;--",
			"a/b",
		]) {
			await importConnection(key, id);
			const read = await call("GET", `/connection/${encodeURIComponent(id)}?provider_config_key=${key}`);
			expect(read.status, id).toBe(200);
			expect(read.json.connection_id).toBe(id);
		}
		const tooLong = await call("POST", "/connection", {
			body: { provider_config_key: key, connection_id: "x".repeat(256), access_token: "t" },
		});
		expect([tooLong.status, tooLong.json.code]).toEqual([400, "invalid_connection_id"]);
		for (const dots of [".", ".."]) {
			const refused = await call("POST", "/connection", {
				body: { provider_config_key: key, connection_id: dots, access_token: "t" },
			});
			expect([refused.status, refused.json.code]).toEqual([400, "invalid_connection_id"]);
		}
		await importConnection(key, "...");
		expect((await call("GET", `/connection/...?provider_config_key=${key}`)).json.connection_id).toBe("...");
		const control = await call("POST", "/connection", {
			body: { provider_config_key: key, connection_id: "a\nb", access_token: "t" },
		});
		expect([control.status, control.json.code]).toEqual([400, "invalid_connection_id"]);
	});

	it("rejects bad reads and imports with clear 4xx errors and keeps stored data intact", async () => {
		const key = unique("err");
		await createConfig(key);
		await importConnection(key, "u1");

		const noKey = await call("GET", "/connection/u1");
		expect([noKey.status, noKey.json.code]).toEqual([400, "missing_provider_config"]);
		const unknownConfig = await call("GET", "/connection/u1?provider_config_key=nope-nope");
		expect([unknownConfig.status, unknownConfig.json.code]).toEqual([404, "unknown_provider_config"]);
		const badFlag = await call("GET", `/connection/u1?provider_config_key=${key}&force_refresh=maybe`);
		expect([badFlag.status, badFlag.json.code]).toEqual([400, "invalid_query"]);

		const duplicate = await call("POST", "/connection", {
			body: { provider_config_key: key, connection_id: "u1", access_token: "overwrite-attempt" },
		});
		expect([duplicate.status, duplicate.json.code]).toEqual([409, "duplicate_connection"]);
		const toUnknown = await call("POST", "/connection", {
			body: { provider_config_key: "nope-nope", connection_id: "u1", access_token: "t" },
		});
		expect([toUnknown.status, toUnknown.json.code]).toEqual([404, "unknown_provider_config"]);
		const noToken = await call("POST", "/connection", {
			body: { provider_config_key: key, connection_id: "u2" },
		});
		expect([noToken.status, noToken.json.code]).toEqual([400, "missing_access_token"]);
		const badExpiry = await call("POST", "/connection", {
			body: { provider_config_key: key, connection_id: "u2", access_token: "t", expires_at: "tomorrow" },
		});
		expect([badExpiry.status, badExpiry.json.code]).toEqual([400, "invalid_body"]);

		const still = await call("GET", `/connection/u1?provider_config_key=${key}`);
		expect(still.json.credentials.access_token).toBe("access-token-SENSITIVE");
		expect((await call("GET", `/connection/u2?provider_config_key=${key}`)).status).toBe(404);
	});
});
