import { describe, expect, it } from "vitest";
import { call, createConfig, importConnection, unique } from "./support/api";

const body = (key: string, extra: Record<string, unknown> = {}) => ({
	provider_config_key: key,
	provider: "github",
	oauth_client_id: "cid",
	oauth_client_secret: "csecret",
	oauth_scopes: "repo,user",
	...extra,
});

describe("provider configs, early shape (docs/api.md#provider-configs)", () => {
	it("creates, reads, lists, edits and deletes a config", async () => {
		const key = unique("gh");
		const created = await call("POST", "/config", { body: body(key) });
		expect(created.status).toBe(200);
		expect(created.json).toEqual({ config_id: expect.any(Number) });

		const one = await call("GET", `/config/${key}`);
		expect(one.status).toBe(200);
		expect(one.json.config).toEqual({
			id: created.json.config_id,
			created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
			updated_at: expect.any(String),
			unique_key: key,
			provider: "github",
			oauth_client_id: "cid",
			oauth_client_secret: "csecret",
			oauth_scopes: "repo,user",
			account_id: 0,
		});

		const list = await call("GET", "/config");
		const row = list.json.configs.find((config: { unique_key: string }) => config.unique_key === key);
		expect(row).toMatchObject({ unique_key: key, provider: "github", oauth_client_id: "cid" });
		expect(row).not.toHaveProperty("oauth_client_secret");

		const edited = await call("PUT", "/config", {
			body: body(key, { oauth_client_secret: "new-secret", oauth_scopes: ["a", "b"] }),
		});
		expect(edited.status).toBe(200);
		const after = await call("GET", `/config/${key}`);
		expect(after.json.config).toMatchObject({ oauth_client_secret: "new-secret", oauth_scopes: "a,b" });

		expect((await call("DELETE", `/config/${key}`)).status).toBe(200);
		const gone = await call("GET", `/config/${key}`);
		expect(gone.status).toBe(404);
		expect(gone.json.code).toBe("unknown_provider_config");
	});

	it("accepts scopes comma- or space-separated or as an array, and normalizes them", async () => {
		for (const scopes of ["a,b c", ["a", "b", "c"], " a , b,c ", "a b b c"]) {
			const key = unique("scopes");
			await createConfig(key, { oauth_scopes: scopes });
			expect((await call("GET", `/config/${key}`)).json.config.oauth_scopes).toBe("a,b,c");
		}
	});

	it("stores a custom config with its own endpoints (https, or http on loopback)", async () => {
		const key = unique("custom");
		const response = await call("POST", "/config", {
			body: body(key, {
				provider: "my-idp",
				authorization_url: "https://idp.example.com/authorize",
				token_url: "http://127.0.0.1:9999/token",
				authorization_params: { audience: "api" },
			}),
		});
		expect(response.status).toBe(200);
		const one = await call("GET", `/config/${key}`);
		expect(one.json.config.template).toMatchObject({
			authorization_url: "https://idp.example.com/authorize",
			authorization_params: { audience: "api" },
		});
	});

	it("rejects bad input with the documented codes and stores nothing", async () => {
		const key = unique("bad");
		const cases: Array<[unknown, number, string]> = [
			[{ ...body(key), provider_config_key: undefined }, 400, "missing_provider_config"],
			[{ ...body(key), provider: undefined }, 400, "missing_provider_template"],
			[{ ...body(key), oauth_client_id: undefined }, 400, "missing_client_id"],
			[{ ...body(key), oauth_client_id: "" }, 400, "missing_client_id"],
			[{ ...body(key), oauth_client_secret: undefined }, 400, "missing_client_secret"],
			[{ ...body(key), oauth_scopes: undefined }, 400, "missing_scopes"],
			[{ ...body(key), oauth_scopes: 42 }, 400, "missing_scopes"],
			[{ ...body(key), provider_config_key: "has space" }, 400, "invalid_provider_config_key"],
			[{ ...body(key), provider_config_key: "x".repeat(256) }, 400, "invalid_provider_config_key"],
			[{ ...body(key), provider: "no-such-template" }, 404, "unknown_provider_template"],
			[body(key, { unknown_field: 1 }), 400, "invalid_body"],
			[
				body(key, { provider: "x", authorization_url: "http://idp.example.com/a", token_url: "https://i/t" }),
				400,
				"invalid_endpoint",
			],
			[
				body(key, { provider: "x", authorization_url: "not a url", token_url: "https://i/t" }),
				400,
				"invalid_endpoint",
			],
			[
				body(key, { provider: "x", authorization_url: "https://idp.example.com/a" }),
				404,
				"unknown_provider_template",
			],
			['"just text"', 400, "invalid_body"],
			[[1, 2], 400, "missing_provider_config"],
		];
		for (const [payload, status, code] of cases) {
			const response = await call("POST", "/config", { body: payload });
			expect(response.json, JSON.stringify(payload).slice(0, 120)).toEqual({
				error: expect.any(String),
				code,
			});
			expect(response.status).toBe(status);
		}
		const malformed = await call("POST", "/config", { body: "{not json" });
		expect([malformed.status, malformed.json.code]).toEqual([400, "invalid_json"]);
		const noType = await call("POST", "/config", {
			body: JSON.stringify(body(key)),
			headers: { "content-type": "text/plain" },
		});
		expect([noType.status, noType.json.code]).toEqual([415, "unsupported_content_type"]);
		const huge = await call("POST", "/config", {
			body: body(key, { oauth_client_id: "x".repeat(1024 * 1024) }),
		});
		expect([huge.status, huge.json.code]).toEqual([413, "payload_too_large"]);

		expect((await call("GET", `/config/${key}`)).status).toBe(404);
	});

	it("refuses a duplicate key and an edit of an unknown key without touching stored data", async () => {
		const key = unique("dup");
		await createConfig(key);
		const duplicate = await call("POST", "/config", { body: body(key, { oauth_client_secret: "other" }) });
		expect([duplicate.status, duplicate.json.code]).toEqual([409, "duplicate_provider_config"]);
		expect((await call("GET", `/config/${key}`)).json.config.oauth_client_secret).toBe(
			"client-secret-SENSITIVE",
		);

		const unknown = await call("PUT", "/config", { body: body(unique("nope")) });
		expect([unknown.status, unknown.json.code]).toEqual([404, "unknown_provider_config"]);
	});

	it("keeps a config with connections unless forced, then deletes both", async () => {
		const key = unique("del");
		await createConfig(key);
		await importConnection(key, "user-1");
		const refused = await call("DELETE", `/config/${key}`);
		expect([refused.status, refused.json.code]).toEqual([409, "config_has_connections"]);
		expect((await call("GET", `/connection/user-1?provider_config_key=${key}`)).status).toBe(200);

		expect((await call("DELETE", `/config/${key}?force=true`)).status).toBe(200);
		expect((await call("GET", `/config/${key}`)).status).toBe(404);
		const list = await call("GET", "/connection");
		expect(
			list.json.connections.some((c: { provider_config_key: string }) => c.provider_config_key === key),
		).toBe(false);

		const unknown = await call("DELETE", `/config/${unique("missing")}`);
		expect([unknown.status, unknown.json.code]).toEqual([404, "unknown_provider_config"]);
	});

	it("answers unknown routes with a JSON 404, never HTML", async () => {
		const response = await call("GET", "/nope");
		expect(response.status).toBe(404);
		expect(response.json).toEqual({ error: expect.any(String), code: "not_found" });
	});
});
