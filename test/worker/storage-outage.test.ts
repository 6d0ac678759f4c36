// D1 failing (docs/api.md#errors): every route answers 503 storage_unavailable, never a bare 500,
// including a failure inside the refresher Durable Object, whose code must survive the RPC back.
// The failures are real D1 errors: this file's storage is its own, so it breaks its tables.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, createConfig, importConnection, unique } from "./support/api";
import { useProviderMocks } from "./support/provider-mocks";
import { connection, provider, read, tokens } from "./support/refresh";

const server = useProviderMocks();

const UNAVAILABLE = [503, "storage_unavailable"];

describe("D1 failing", () => {
	it("inside the refresher: the read answers 503 storage_unavailable", async () => {
		const idp = await provider(server);
		const connectionId = await connection(idp.key, -1000);
		// `configs` becomes a view whose secret column fails when read: the read path's own query
		// (which does not read it) works, the refresher's read of the config fails inside D1.
		await env.DB.exec("ALTER TABLE configs RENAME TO configs_real");
		await env.DB.exec(
			"CREATE VIEW configs AS SELECT id, unique_key, provider, oauth_client_id, json_extract('not json', '$') AS oauth_client_secret, oauth_scopes, template, created_at, updated_at FROM configs_real",
		);
		try {
			const answer = await read(idp.key, connectionId);
			expect([answer.status, answer.json.code]).toEqual(UNAVAILABLE);
			expect(idp.calls).toHaveLength(0);
		} finally {
			await env.DB.exec("DROP VIEW configs");
			await env.DB.exec("ALTER TABLE configs_real RENAME TO configs");
		}
		// The same read works once D1 does: the 503 was the outage, not the connection.
		idp.respond(() => tokens("at-2", "rt-2"));
		expect((await read(idp.key, connectionId)).json.credentials?.access_token).toBe("at-2");
	});

	it("inside the refresher: an API error keeps its code across the RPC", async () => {
		const idp = await provider(server);
		const connectionId = await connection(idp.key, -1000);
		// SQLite reads a double-quoted unknown column as text: the secret "opens" as garbage.
		await env.DB.exec("ALTER TABLE configs RENAME COLUMN oauth_client_secret TO elsewhere");
		try {
			const answer = await read(idp.key, connectionId);
			expect([answer.status, answer.json.code]).toEqual([500, "decryption_failed"]);
		} finally {
			await env.DB.exec("ALTER TABLE configs RENAME COLUMN elsewhere TO oauth_client_secret");
		}
	});

	it("on backend routes and the token read path: 503 storage_unavailable", async () => {
		const key = unique("outage");
		await createConfig(key);
		await importConnection(key, "u1");
		await env.DB.exec("DROP TABLE connections");
		await env.DB.exec("DROP TABLE configs");

		const answers = await Promise.all([
			read(key, "u1"),
			call("GET", `/connections/u1?provider_config_key=${key}`),
			call("GET", "/connection"),
			call("GET", "/config"),
			call("GET", `/config/${key}`),
			call("POST", "/config", {
				body: {
					provider_config_key: unique("new"),
					provider: "github",
					oauth_client_id: "id",
					oauth_client_secret: "secret",
					oauth_scopes: "repo",
				},
			}),
			call("DELETE", `/connection/u1?provider_config_key=${key}`),
		]);
		for (const answer of answers) {
			expect([answer.status, answer.json.code]).toEqual(UNAVAILABLE);
			expect(answer.json.error).toBe("The database (D1) did not answer.");
		}
		// today's routes, in today's shape
		const session = await call("POST", "/connect/sessions", {
			body: { end_user: { id: "u" }, allowed_integrations: [key] },
		});
		expect([session.status, session.json.error?.code]).toEqual(UNAVAILABLE);
		// the flow's pages: a 503 result page with the same type, for the opener
		await env.DB.exec("DROP TABLE oauth_sessions");
		for (const path of [`/oauth/connect/${key}?connection_id=u1`, "/oauth/callback?state=s&code=c"]) {
			const page = await call("GET", path);
			expect(page.status).toBe(503);
			expect(page.text).toContain('"type":"storage_unavailable"');
		}
	});
});
