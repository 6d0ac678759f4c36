// No token is ever lost (docs/flows.md#never-losing-a-token): tokens whose D1 write fails stay, sealed, in the connection's
// Durable Object and reach D1 before anything else; a connection (or config) deleted while its
// refresh runs stays deleted.
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { refresherOf } from "../../src/connections/refresher-client";
import { keyringFrom } from "../../src/crypto/cipher";
import { openRefreshed } from "../../src/db/credential-writes";
import { call, importConnection } from "./support/api";
import { useProviderMocks } from "./support/provider-mocks";
import {
	connection,
	failCredentialWrites,
	holdAnswers,
	pendingOf,
	provider,
	read,
	stored,
	tokens,
} from "./support/refresh";

const server = useProviderMocks();

describe("a refresh whose D1 write fails", () => {
	it("keeps the new tokens sealed in the object, serves them, and writes them to D1 when D1 takes them again", async () => {
		const idp = await provider(server);
		idp.respond((_, index) => tokens(`at-${index + 2}`, `rt-${index + 2}`));
		const connectionId = await connection(idp.key, -1000);
		const row = await stored(idp.key, connectionId);
		if (!row) throw new Error("no row");
		const repair = await failCredentialWrites(row.id);

		const first = await read(idp.key, connectionId);
		expect(first.status).toBe(200);
		expect(first.json.credentials).toMatchObject({ access_token: "at-2", refresh_token: "rt-2" });
		expect((await stored(idp.key, connectionId))?.credentials).toMatchObject({ access_token: "at-1" });
		const pending = await pendingOf(idp.key, connectionId);
		if (!pending) throw new Error("nothing kept");
		expect(pending.refreshed.sealed).not.toContain("at-2");
		expect(JSON.stringify(pending)).not.toContain("rt-2");
		expect(await openRefreshed(await keyringFrom(env), row, pending.refreshed)).toMatchObject({
			access_token: "at-2",
			refresh_token: "rt-2",
		});

		// Still kept after another failed write: the next read serves them without a new refresh.
		const second = await read(idp.key, connectionId);
		expect(second.json.credentials).toMatchObject({ access_token: "at-2", refresh_token: "rt-2" });
		expect(idp.calls).toHaveLength(1);

		await repair();
		// The object's retry (its alarm) writes them once D1 takes them again.
		expect(await runDurableObjectAlarm(refresherOf(env, idp.key, connectionId))).toBe(true);
		const third = await read(idp.key, connectionId);
		expect(third.json.credentials.access_token).toBe("at-2");
		expect(idp.calls).toHaveLength(1);
		expect((await stored(idp.key, connectionId))?.credentials).toMatchObject({
			access_token: "at-2",
			refresh_token: "rt-2",
		});
		expect(await pendingOf(idp.key, connectionId)).toBeUndefined();

		// And the next refresh uses the refresh token that was only ever in the object's storage.
		const forced = await read(idp.key, connectionId, "&force_refresh=true");
		expect(forced.json.credentials.access_token).toBe("at-3");
		expect(idp.calls[1]?.form.get("refresh_token")).toBe("rt-2");
	});

	it("retries the D1 write by alarm, without any read", async () => {
		const idp = await provider(server);
		idp.respond(() => tokens("at-2", "rt-2"));
		const connectionId = await connection(idp.key, -1000);
		const row = await stored(idp.key, connectionId);
		if (!row) throw new Error("no row");
		const repair = await failCredentialWrites(row.id);
		expect((await read(idp.key, connectionId)).json.credentials.access_token).toBe("at-2");
		await repair();
		const refresher = refresherOf(env, idp.key, connectionId);
		// The alarm may already have fired on its own; either way D1 ends up with the tokens.
		await runDurableObjectAlarm(refresher);
		expect((await stored(idp.key, connectionId))?.credentials).toMatchObject({ access_token: "at-2" });
		expect(await pendingOf(idp.key, connectionId)).toBeUndefined();
	});
});

describe("deletion while a refresh runs", () => {
	it("leaves no resurrected connection, and the refreshed tokens never reach a new one", async () => {
		const idp = await provider(server);
		const connectionId = await connection(idp.key, -1000);
		const held = holdAnswers(idp);
		const reading = read(idp.key, connectionId);
		await held.reached;
		const deleted = await call("DELETE", `/connection/${connectionId}?provider_config_key=${idp.key}`);
		expect(deleted.status).toBe(200);
		held.release();

		const answer = await reading;
		expect(answer.status).toBe(404);
		expect(answer.json.code).toBe("unknown_connection");
		expect(await stored(idp.key, connectionId)).toBeUndefined();
		expect(await pendingOf(idp.key, connectionId)).toBeUndefined();

		// The same ids imported again are a new connection with its own tokens.
		await importConnection(idp.key, connectionId, { access_token: "at-new", refresh_token: "rt-new" });
		const fresh = await read(idp.key, connectionId);
		expect(fresh.json.credentials).toMatchObject({ access_token: "at-new", refresh_token: "rt-new" });
	});

	it("leaves nothing behind when the config is deleted with its connections", async () => {
		const idp = await provider(server);
		const connectionId = await connection(idp.key, -1000);
		const held = holdAnswers(idp);
		const reading = read(idp.key, connectionId);
		await held.reached;
		expect((await call("DELETE", `/config/${idp.key}?force=true`)).status).toBe(200);
		held.release();

		const answer = await reading;
		expect(answer.status).toBe(404);
		expect(answer.json.code).toBe("unknown_provider_config");
		const rows = await env.DB.prepare("SELECT COUNT(*) AS n FROM connections WHERE provider_config_key = ?")
			.bind(idp.key)
			.first<{ n: number }>();
		expect(rows?.n).toBe(0);
		expect(await pendingOf(idp.key, connectionId)).toBeUndefined();
	});
});
