// Key rotation in bounded pages (docs/api.md#key-rotation): each call re-seals at most a page of
// stale rows per table and writes them before answering, counts the rows D1 actually changed,
// reaches flow sessions, and refreshers re-seal the credentials they hold (docs/storage-schema.md#encryption).
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Pending } from "../../src/connections/pending";
import { refresherOf } from "../../src/connections/refresher-client";
import { keyringFrom } from "../../src/crypto/cipher";
import { database } from "../../src/db/client";
import { credentialsAad, sealCredentials } from "../../src/db/connections";
import { openRefreshed, sealRefreshed } from "../../src/db/credential-writes";
import { ROTATION_PAGE_SIZE, type RotationKeyring, resealPage } from "../../src/db/rotation";
import { call, createConfig, readConnection, unique } from "./support/api";
import { expectPage, get, postedMessage } from "./support/oauth-flow";
import { HttpResponse, http, useProviderMocks } from "./support/provider-mocks";
import { connection, failCredentialWrites, pendingOf, provider, stored } from "./support/refresh";

const server = useProviderMocks();

const CURRENT_ONLY = { NANGO_ENCRYPTION_KEY: env.NANGO_ENCRYPTION_KEY, NANGO_ENCRYPTION_KEYS_OLD: undefined };
/** The worker as it was before the rotation: the old key writes. */
const OLD_ONLY = {
	NANGO_ENCRYPTION_KEY: env.NANGO_ENCRYPTION_KEYS_OLD,
	NANGO_ENCRYPTION_KEYS_OLD: undefined,
};

const kidOf = (sealed: unknown) => String(sealed).split(".")[1];

function rotate() {
	return call("POST", "/admin/rotate-keys");
}

/** A config written while the old key was the current one. */
async function oldConfig(key: string, fields: Record<string, unknown> = {}) {
	const response = await call("POST", "/config", {
		env: OLD_ONLY,
		body: {
			provider_config_key: key,
			provider: "github",
			oauth_client_id: "client-id",
			oauth_client_secret: "client-secret",
			oauth_scopes: "read",
			...fields,
		},
	});
	expect(response.status).toBe(200);
}

/** `count` connections sealed under the old key, inserted in one batch; answers their ids. */
async function oldConnections(key: string, count: number): Promise<string[]> {
	const oldKeyring = await keyringFrom(OLD_ONLY);
	const ids = Array.from({ length: count }, (_, index) => `user-${index}`);
	const statements = [];
	for (const connectionId of ids) {
		const sealed = await sealCredentials(
			oldKeyring,
			{ providerConfigKey: key, connectionId },
			{ type: "OAUTH2", access_token: `at-${connectionId}`, raw: {} },
		);
		statements.push(
			env.DB.prepare(
				"INSERT INTO connections (provider_config_key, connection_id, auth_mode, credentials) VALUES (?, ?, 'OAUTH2', ?)",
			).bind(key, connectionId, sealed),
		);
	}
	await env.DB.batch(statements);
	return ids;
}

async function staleCount(kid: string): Promise<number> {
	const prefix = `v1.${kid}.`;
	const row = await env.DB.prepare(
		`SELECT (SELECT COUNT(*) FROM configs WHERE substr(oauth_client_secret, 1, 12) <> ?1)
		      + (SELECT COUNT(*) FROM connections WHERE substr(credentials, 1, 12) <> ?1)
		      + (SELECT COUNT(*) FROM oauth_sessions WHERE substr(payload, 1, 12) <> ?1) AS n`,
	)
		.bind(prefix)
		.first<{ n: number }>();
	return row?.n ?? -1;
}

describe("key rotation in pages", () => {
	// First in the file: the table holds exactly what this test put there.
	it("re-seals a table larger than one page page by page, each page written, and ends at 0", async () => {
		const key = unique("pages");
		await oldConfig(key);
		const total = 2 * ROTATION_PAGE_SIZE + 37;
		const ids = await oldConnections(key, total);
		const kid = (await keyringFrom(env)).currentKid;
		expect(await staleCount(kid)).toBe(total + 1);

		const first = await rotate();
		expect(first.status).toBe(200);
		expect(first.json).toEqual({
			resealed: { configs: 1, connections: ROTATION_PAGE_SIZE, sessions: 0 },
			key_id: kid,
			done: false,
		});
		// Written before the answer: the progress is in D1, not in the request.
		expect(await staleCount(kid)).toBe(total - ROTATION_PAGE_SIZE);

		const second = await rotate();
		expect(second.json.resealed).toEqual({ configs: 0, connections: ROTATION_PAGE_SIZE, sessions: 0 });
		expect(second.json.done).toBe(false);
		const third = await rotate();
		expect(third.json.resealed).toEqual({ configs: 0, connections: 37, sessions: 0 });
		expect(third.json.done).toBe(true);
		const fourth = await rotate();
		expect(fourth.json).toEqual({
			resealed: { configs: 0, connections: 0, sessions: 0 },
			key_id: kid,
			done: true,
		});
		expect(await staleCount(kid)).toBe(0);

		// Readable with the old key gone.
		for (const id of [ids[0], ids[ROTATION_PAGE_SIZE], ids[total - 1]]) {
			const read = await readConnection(key, String(id), "", CURRENT_ONLY);
			expect(read.json.credentials.access_token).toBe(`at-${id}`);
		}
		expect((await call("GET", `/config/${key}`, { env: CURRENT_ONLY })).json.config.oauth_client_secret).toBe(
			"client-secret",
		);
	});

	it("counts the rows D1 changed: a row rewritten during the page is left alone and not counted", async () => {
		const key = unique("race");
		await createConfig(key);
		await oldConnections(key, 3);
		const keyring = await keyringFrom(env);
		const raced = credentialsAad(key, "user-1");
		let rewritten = "";
		// A refresh that writes new credentials between rotation's read and its update.
		const watching: RotationKeyring = {
			currentKid: keyring.currentKid,
			currentPrefix: keyring.currentPrefix,
			isStale: (envelope) => keyring.isStale(envelope),
			open: (envelope, additional) => keyring.open(envelope, additional),
			async seal(plaintext, additional) {
				if (additional === raced && !rewritten) {
					rewritten = await sealCredentials(
						keyring,
						{ providerConfigKey: key, connectionId: "user-1" },
						{ type: "OAUTH2", access_token: "at-refreshed", raw: {} },
					);
					await env.DB.prepare(
						"UPDATE connections SET credentials = ? WHERE provider_config_key = ? AND connection_id = 'user-1'",
					)
						.bind(rewritten, key)
						.run();
				}
				return keyring.seal(plaintext, additional);
			},
		};

		const page = await resealPage(database(env.DB), watching);
		expect(rewritten).not.toBe("");
		expect(page).toEqual({ configs: 0, connections: 2, sessions: 0, kid: keyring.currentKid, done: false });
		const row = await env.DB.prepare(
			"SELECT credentials FROM connections WHERE provider_config_key = ? AND connection_id = 'user-1'",
		)
			.bind(key)
			.first<{ credentials: string }>();
		expect(row?.credentials).toBe(rewritten);
		expect((await readConnection(key, "user-1")).json.credentials.access_token).toBe("at-refreshed");

		expect(await resealPage(database(env.DB), keyring)).toMatchObject({ connections: 0, done: true });
	});

	it("re-seals flow sessions: a flow started under the old key finishes after rotation with the old key removed", async () => {
		const key = unique("flow");
		const tokenUrl = `https://id.example.com/${key}/token`;
		await oldConfig(key, {
			provider: "custom",
			authorization_url: "https://id.example.com/authorize",
			token_url: tokenUrl,
		});
		server.use(
			http.post(tokenUrl, () =>
				HttpResponse.json({ access_token: "at-flow", refresh_token: "rt-flow", token_type: "bearer" }),
			),
		);
		const started = await get(`/oauth/connect/${key}?connection_id=alice`, OLD_ONLY);
		expect(started.status).toBe(302);
		const state = new URL(started.headers.get("location") ?? "").searchParams.get("state");
		const session = await env.DB.prepare("SELECT payload FROM oauth_sessions WHERE id = ?")
			.bind(state)
			.first<{ payload: string }>();
		const oldKid = kidOf(session?.payload);
		expect(oldKid).toBe((await keyringFrom(OLD_ONLY)).currentKid);

		const rotated = await rotate();
		expect(rotated.json.resealed).toMatchObject({ configs: 1, sessions: 1 });
		expect(rotated.json.done).toBe(true);
		const resealed = await env.DB.prepare("SELECT payload FROM oauth_sessions WHERE id = ?")
			.bind(state)
			.first<{ payload: string }>();
		expect(kidOf(resealed?.payload)).toBe(rotated.json.key_id);

		const page = await get(`/oauth/callback?code=the-code&state=${state}`, CURRENT_ONLY);
		expectPage(page, 200);
		expect(postedMessage(await page.text()).eventType).toBe("AUTHORIZATION_SUCEEDED");
		const read = await readConnection(key, "alice", "", CURRENT_ONLY);
		expect(read.json.credentials).toMatchObject({ access_token: "at-flow", refresh_token: "rt-flow" });
	});

	it("drops expired flow sessions sealed by the old key instead of re-sealing them", async () => {
		const key = unique("expired");
		const oldKeyring = await keyringFrom(OLD_ONLY);
		await env.DB.prepare(
			"INSERT INTO oauth_sessions (id, provider_config_key, connection_id, payload, expires_at) VALUES (?, ?, 'u', ?, ?)",
		)
			.bind(key, key, await oldKeyring.seal("{}", "x"), Date.now() - 1000)
			.run();
		const rotated = await rotate();
		expect(rotated.json).toMatchObject({ resealed: { sessions: 0 }, done: true });
		const left = await env.DB.prepare("SELECT COUNT(*) AS n FROM oauth_sessions WHERE id = ?")
			.bind(key)
			.first<{ n: number }>();
		expect(left?.n).toBe(0);
	});
});

describe("credentials a refresher holds while D1 fails", () => {
	it("are re-sealed under the current key when the alarm retries them, and reach D1 so", async () => {
		const idp = await provider(server);
		const connectionId = await connection(idp.key, 3600_000);
		// Kept by a refresh that ran before the rotation, sealed by the old key.
		const { row, repair } = await holdOldKeyCredentials(idp.key, connectionId, "at-2", "rt-2");
		const refresher = refresherOf(env, idp.key, connectionId);
		await runInDurableObject(refresher, async (_, state) => {
			await state.storage.setAlarm(Date.now() + 3600_000);
		});

		expect(await runDurableObjectAlarm(refresher)).toBe(true);
		const kept = await pendingOf(idp.key, connectionId);
		if (!kept) throw new Error("nothing kept");
		const current = await keyringFrom(CURRENT_ONLY);
		expect(kidOf(kept.refreshed.sealed)).toBe(current.currentKid);
		expect(await openRefreshed(current, row, kept.refreshed)).toMatchObject({ access_token: "at-2" });

		await repair();
		expect(await runDurableObjectAlarm(refresher)).toBe(true);
		expect(await pendingOf(idp.key, connectionId)).toBeUndefined();
		const written = await env.DB.prepare("SELECT credentials FROM connections WHERE id = ?")
			.bind(row.id)
			.first<{ credentials: string }>();
		expect(kidOf(written?.credentials)).toBe(current.currentKid);
		const read = await readConnection(idp.key, connectionId, "", CURRENT_ONLY);
		expect(read.json.credentials).toMatchObject({ access_token: "at-2", refresh_token: "rt-2" });
	});
});

describe("credentials a refresher holds while D1 fails, read", () => {
	it("are re-sealed under the current key when a read takes them", async () => {
		const idp = await provider(server);
		// Expired in D1, so the read goes to the refresher, which serves what it holds.
		const connectionId = await connection(idp.key, -1000);
		const { repair } = await holdOldKeyCredentials(idp.key, connectionId, "at-held", "rt-held");

		const read = await readConnection(idp.key, connectionId);
		expect(read.json.credentials).toMatchObject({ access_token: "at-held", refresh_token: "rt-held" });
		const kept = await pendingOf(idp.key, connectionId);
		expect(kidOf(kept?.refreshed.sealed)).toBe((await keyringFrom(CURRENT_ONLY)).currentKid);
		await repair();
	});
});

/**
 * Credentials a refresher holds because D1 refuses to take them (until `repair`), sealed by the
 * old key, as a refresh that ran before the rotation would have left them.
 */
async function holdOldKeyCredentials(key: string, connectionId: string, access: string, refresh: string) {
	const row = await stored(key, connectionId);
	if (!row) throw new Error("no row");
	const repair = await failCredentialWrites(row.id);
	const refreshed = await sealRefreshed(
		await keyringFrom(OLD_ONLY),
		row,
		{ type: "OAUTH2", access_token: access, refresh_token: refresh, raw: {} },
		Date.now(),
		row.metadata,
	);
	const pending: Pending = {
		rowId: row.id,
		fromIssuedAt: row.credentialsIssuedAt,
		refreshed,
		failures: 1,
		place: { providerConfigKey: key, connectionId },
	};
	await runInDurableObject(refresherOf(env, key, connectionId), async (_, state) => {
		await state.storage.put("pending", pending);
	});
	return { row, repair };
}
