import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { tokenCache } from "../../src/connections/token-cache";
import { aad, keyringFrom } from "../../src/crypto/cipher";
import { call, createConfig, importConnection, unique } from "./support/api";

const OLD_KEY = env.NANGO_ENCRYPTION_KEYS_OLD ?? "";

async function rawRows(key: string) {
	const config = await env.DB.prepare("SELECT * FROM configs WHERE unique_key = ?").bind(key).first();
	const { results } = await env.DB.prepare("SELECT * FROM connections WHERE provider_config_key = ?")
		.bind(key)
		.all();
	return { config, connections: results };
}

describe("secrets at rest (docs/storage-schema.md)", () => {
	it("stores no plaintext client secret, access token, refresh token or raw response", async () => {
		const key = unique("raw");
		await createConfig(key);
		await importConnection(key, "u1", {
			raw: { access_token: "access-token-SENSITIVE", id_token: "ID-SENSITIVE" },
		});
		const rows = await rawRows(key);
		const dump = JSON.stringify(rows);
		expect(rows.config).not.toBeNull();
		expect(rows.connections).toHaveLength(1);
		expect(dump).not.toContain("SENSITIVE");
		expect(String(rows.config?.oauth_client_secret)).toMatch(/^v1\.[0-9a-f]{8}\.[\w-]{16}\.[\w-]+$/);
		expect(String(rows.connections[0]?.credentials)).toMatch(/^v1\.[0-9a-f]{8}\./);
	});

	it("seals every value with a fresh IV", async () => {
		const keyring = await keyringFrom(env);
		const a = await keyring.seal("same", aad("x"));
		const b = await keyring.seal("same", aad("x"));
		expect(a).not.toBe(b);
		expect(await keyring.open(a, aad("x"))).toBe("same");
		expect(await keyring.open(b, aad("x"))).toBe("same");
	});

	it("refuses a ciphertext copied onto another row, and says so without a crash", async () => {
		const key = unique("copy");
		await createConfig(key);
		await importConnection(key, "victim", { access_token: "victim-token" });
		await importConnection(key, "attacker", { access_token: "attacker-token" });
		await env.DB.prepare(
			"UPDATE connections SET credentials = (SELECT credentials FROM connections WHERE provider_config_key = ?1 AND connection_id = 'victim') WHERE provider_config_key = ?1 AND connection_id = 'attacker'",
		)
			.bind(key)
			.run();
		const read = await call("GET", `/connection/attacker?provider_config_key=${key}`);
		expect(read.status).toBe(500);
		expect(read.json.code).toBe("decryption_failed");
		expect(read.text).not.toContain("victim-token");
		const victim = await call("GET", `/connection/victim?provider_config_key=${key}`);
		expect(victim.json.credentials.access_token).toBe("victim-token");

		const other = unique("copy2");
		await createConfig(other);
		await env.DB.prepare(
			"UPDATE configs SET oauth_client_secret = (SELECT oauth_client_secret FROM configs WHERE unique_key = ?1) WHERE unique_key = ?2",
		)
			.bind(key, other)
			.run();
		expect((await call("GET", `/config/${other}`)).json.code).toBe("decryption_failed");
	});

	it("reads values sealed by an old key, and rotation re-seals every row under the current key", async () => {
		const key = unique("rot");
		const oldEnv = { NANGO_ENCRYPTION_KEY: OLD_KEY, NANGO_ENCRYPTION_KEYS_OLD: undefined };
		// Written while the old key was the current one.
		const created = await call("POST", "/config", {
			env: oldEnv,
			body: {
				provider_config_key: key,
				provider: "github",
				oauth_client_id: "cid",
				oauth_client_secret: "rotate-me",
				oauth_scopes: "a",
			},
		});
		expect(created.status).toBe(200);
		for (const id of ["r1", "r2", "r3"]) {
			const response = await call("POST", "/connection", {
				env: oldEnv,
				body: {
					provider_config_key: key,
					connection_id: id,
					access_token: `token-${id}`,
					refresh_token: `rt-${id}`,
				},
			});
			expect(response.status).toBe(201);
		}
		const oldKid = String((await rawRows(key)).config?.oauth_client_secret).split(".")[1];
		const currentKid = (await keyringFrom(env)).currentKid;
		expect(oldKid).not.toBe(currentKid);

		// Readable with the current key while the old one is listed in NANGO_ENCRYPTION_KEYS_OLD…
		expect(
			(await call("GET", `/connection/r1?provider_config_key=${key}`)).json.credentials.access_token,
		).toBe("token-r1");
		// …and not without it (r2: r1 is now in the isolate's memory, which holds it decrypted).
		const without = await call("GET", `/connection/r2?provider_config_key=${key}`, {
			env: { NANGO_ENCRYPTION_KEYS_OLD: undefined },
		});
		expect(without.json.code).toBe("decryption_failed");

		const rotated = await call("POST", "/admin/rotate-keys");
		expect(rotated.status).toBe(200);
		expect(rotated.json.key_id).toBe(currentKid);
		expect(rotated.json.resealed.configs).toBeGreaterThanOrEqual(1);
		expect(rotated.json.resealed.connections).toBeGreaterThanOrEqual(3);

		const rows = await rawRows(key);
		expect(String(rows.config?.oauth_client_secret).split(".")[1]).toBe(currentKid);
		for (const row of rows.connections) expect(String(row.credentials).split(".")[1]).toBe(currentKid);

		// Every value reads back from D1, now even with the old key gone.
		tokenCache.clear();
		const noOld = { NANGO_ENCRYPTION_KEYS_OLD: undefined };
		expect((await call("GET", `/config/${key}`, { env: noOld })).json.config.oauth_client_secret).toBe(
			"rotate-me",
		);
		for (const id of ["r1", "r2", "r3"]) {
			const read = await call("GET", `/connection/${id}?provider_config_key=${key}`, { env: noOld });
			expect(read.json.credentials).toMatchObject({ access_token: `token-${id}`, refresh_token: `rt-${id}` });
		}
		const again = await call("POST", "/admin/rotate-keys");
		expect(again.json.resealed).toEqual({ configs: 0, connections: 0, sessions: 0 });
	});

	it("answers a clear 500 when the encryption key is missing or malformed, and stores nothing", async () => {
		const key = unique("nokey");
		for (const NANGO_ENCRYPTION_KEY of [undefined, "too-short", "!!!!"]) {
			const response = await call("POST", "/config", {
				env: { NANGO_ENCRYPTION_KEY },
				body: {
					provider_config_key: key,
					provider: "github",
					oauth_client_id: "c",
					oauth_client_secret: "s",
					oauth_scopes: "a",
				},
			});
			expect(response.status).toBe(500);
			expect(response.json.code).toBe("encryption_key_not_configured");
		}
		expect((await call("GET", `/config/${key}`)).status).toBe(404);
	});
});
