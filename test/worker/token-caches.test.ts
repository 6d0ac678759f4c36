// The read path's memory (docs/flows.md#token-caches): what a read remembers, and the rules that
// keep it honest. A warm read needs no D1 at all; a delete, a new authorization and a refresh
// made here are seen by the very next read; `force_refresh` always reaches the provider; a
// remembered token is never served past its refresh margin.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { readThroughRefresher, refresherOf } from "../../src/connections/refresher-client";
import { tokenCache } from "../../src/connections/token-cache";
import { call } from "./support/api";
import { connect, get } from "./support/oauth-flow";
import { HttpResponse, http, useProviderMocks } from "./support/provider-mocks";
import { connection, provider, read, tokens } from "./support/refresh";

const server = useProviderMocks();

/** A D1 binding that fails every statement: a read that still answers did not touch D1. */
const BROKEN_D1 = {
	DB: new Proxy(env.DB, {
		get: () => () => {
			throw new Error("D1_ERROR: D1 is unavailable in this test");
		},
	}),
};

describe("the isolate's memory", () => {
	it("answers a warm read without D1", async () => {
		const idp = await provider(server);
		const connectionId = await connection(idp.key, 3600_000);
		expect((await read(idp.key, connectionId)).json.credentials.access_token).toBe("at-1");
		const warm = await read(idp.key, connectionId, "", BROKEN_D1);
		expect(warm.status).toBe(200);
		expect(warm.json.credentials.access_token).toBe("at-1");
		// a connection never read here does go to D1, which fails it
		const cold = await connection(idp.key, 3600_000);
		expect((await read(idp.key, cold, "", BROKEN_D1)).status).toBeGreaterThanOrEqual(500);
	});

	it("answers from memory before routing with the route's bytes, and leaves everything else to the route", async () => {
		const idp = await provider(server);
		const connectionId = await connection(idp.key, 3600_000);
		const paths = [
			`/connection/${connectionId}?provider_config_key=${idp.key}`,
			`/connection/${connectionId}?integration_key=${idp.key}`,
			`/connections/${connectionId}?provider_config_key=${idp.key}&refresh_token=false&refresh_github_app_jwt_token=false`,
			`/connections/${connectionId}?provider_config_key=${idp.key}&refresh_token=true`,
		];
		for (const path of paths) {
			const routed = await call("GET", path);
			expect(routed.status, path).toBe(200);
			// warm now: answered before routing, with D1 broken to prove it
			const fromMemory = await call("GET", path, { env: BROKEN_D1 });
			expect(fromMemory.text, path).toBe(routed.text);
			expect(fromMemory.headers.get("content-type")).toBe("application/json");
		}
		expect((await call("GET", paths[0] ?? "", { env: BROKEN_D1 })).json.credentials.refresh_token).toBe(
			"rt-1",
		);
		expect(
			(await call("GET", paths[2] ?? "", { env: BROKEN_D1 })).json.credentials.refresh_token,
		).toBeUndefined();
		// a warm connection does not excuse a bad secret, a bad query or a missing key: the route answers
		const wrong = await call("GET", paths[0] ?? "", { headers: { authorization: "Bearer wrong" } });
		expect([wrong.status, wrong.json.code]).toEqual([401, "invalid_secret_key"]);
		const anonymous = await call("GET", paths[0] ?? "", { anonymous: true });
		expect([anonymous.status, anonymous.json.code]).toEqual([401, "missing_auth_header"]);
		const badFlag = await call("GET", `${paths[0]}&force_refresh=maybe`);
		expect([badFlag.status, badFlag.json.code]).toEqual([400, "invalid_query"]);
		const noKey = await call("GET", `/connection/${connectionId}`);
		expect([noKey.status, noKey.json.code]).toEqual([400, "missing_provider_config"]);
	});

	it("answers a busy connection from its object before routing, and leaves its failures to the route", async () => {
		const idp = await provider(server);
		const connectionId = await connection(idp.key, 3600_000);
		const path = `/connection/${connectionId}?provider_config_key=${idp.key}`;
		const memoryOff = { NANGO_TOKEN_CACHE_SECONDS: "0" };
		// The first read is D1's and marks the connection busy here; the next goes to its object.
		const first = await call("GET", path, { env: memoryOff });
		const second = await call("GET", path, { env: { ...memoryOff, ...BROKEN_D1 } });
		expect(second.status).toBe(200);
		expect(second.text).toBe(first.text);
		// Deleted behind this isolate's back: the object answers "gone", the route answers 404.
		await env.DB.prepare("DELETE FROM connections WHERE provider_config_key = ? AND connection_id = ?")
			.bind(idp.key, connectionId)
			.run();
		await runInDurableObject(refresherOf(env, idp.key, connectionId), (instance) => instance.forget());
		const gone = await call("GET", path, { env: memoryOff });
		expect([gone.status, gone.json.code]).toEqual([404, "unknown_connection"]);
	});

	it("forgets a deleted connection at once: the next read is 404", async () => {
		const idp = await provider(server);
		const early = await connection(idp.key, 3600_000);
		const modern = await connection(idp.key, 3600_000);
		for (const id of [early, modern]) expect((await read(idp.key, id)).status).toBe(200);
		expect((await call("DELETE", `/connection/${early}?provider_config_key=${idp.key}`)).status).toBe(200);
		expect((await call("DELETE", `/connections/${modern}?provider_config_key=${idp.key}`)).status).toBe(200);
		for (const id of [early, modern]) {
			const gone = await read(idp.key, id);
			expect([gone.status, gone.json.code]).toEqual([404, "unknown_connection"]);
		}
	});

	it("forgets a config deleted with its connections at once", async () => {
		const idp = await provider(server);
		const connectionId = await connection(idp.key, 3600_000);
		expect((await read(idp.key, connectionId)).status).toBe(200);
		expect((await call("DELETE", `/config/${idp.key}?force=true`)).status).toBe(200);
		const gone = await read(idp.key, connectionId);
		expect([gone.status, gone.json.code]).toEqual([404, "unknown_provider_config"]);
	});

	it("lets force_refresh reach the provider with a warm cache, and serves its token next", async () => {
		const idp = await provider(server);
		idp.respond((_, index) => tokens(`at-${index + 2}`, `rt-${index + 2}`));
		const connectionId = await connection(idp.key, 3600_000);
		expect((await read(idp.key, connectionId)).json.credentials.access_token).toBe("at-1");
		const forced = await read(idp.key, connectionId, "&force_refresh=true");
		expect(forced.json.credentials.access_token).toBe("at-2");
		expect(idp.calls).toHaveLength(1);
		// The refresh made in the object is what the next read sees.
		expect((await read(idp.key, connectionId)).json.credentials.access_token).toBe("at-2");
		expect((await read(idp.key, connectionId, "&force_refresh=true")).json.credentials.access_token).toBe(
			"at-3",
		);
		expect(idp.calls).toHaveLength(2);
	});

	it("never serves a remembered token past its refresh margin", async () => {
		const idp = await provider(server);
		idp.respond(() => tokens("at-2", "rt-2"));
		// Due for a refresh 1.5 s from now (15-minute margin, imported: no known lifetime).
		const connectionId = await connection(idp.key, 900_000 + 1_500);
		expect((await read(idp.key, connectionId)).json.credentials.access_token).toBe("at-1");
		expect(idp.calls).toHaveLength(0);
		await new Promise((resolve) => setTimeout(resolve, 2_000));
		expect((await read(idp.key, connectionId)).json.credentials.access_token).toBe("at-2");
		expect(idp.calls).toHaveLength(1);
	});

	it("replaces a remembered token when the connection is authorized again", async () => {
		const idp = await provider(server);
		const connectionId = await connection(idp.key, 3600_000);
		expect((await read(idp.key, connectionId)).json.credentials.access_token).toBe("at-1");
		server.use(http.post(idp.tokenUrl, () => HttpResponse.json({ access_token: "at-reauthorized" })));
		const location = await connect(`/oauth/connect/${idp.key}?connection_id=${connectionId}`);
		const page = await get(`/oauth/callback?code=c&state=${location.searchParams.get("state")}`);
		expect(page.status).toBe(200);
		expect((await read(idp.key, connectionId)).json.credentials.access_token).toBe("at-reauthorized");
	});
});

describe("the connection's Durable Object, when the isolate does not serve from memory", () => {
	const NO_ISOLATE_CACHE = { NANGO_TOKEN_CACHE_SECONDS: "0" };

	it("serves a busy connection from the object without D1 in this isolate", async () => {
		const idp = await provider(server);
		const connectionId = await connection(idp.key, 3600_000);
		// First read here: D1. From then on the connection is busy here: its object answers.
		expect((await read(idp.key, connectionId, "", NO_ISOLATE_CACHE)).status).toBe(200);
		const viaObject = await read(idp.key, connectionId, "", { ...NO_ISOLATE_CACHE, ...BROKEN_D1 });
		expect(viaObject.json.credentials.access_token).toBe("at-1");
	});

	it("forgets a deleted connection in the object too", async () => {
		const idp = await provider(server);
		const connectionId = await connection(idp.key, 3600_000);
		for (let i = 0; i < 2; i++)
			expect((await read(idp.key, connectionId, "", NO_ISOLATE_CACHE)).status).toBe(200);
		expect((await call("DELETE", `/connection/${connectionId}?provider_config_key=${idp.key}`)).status).toBe(
			200,
		);
		expect(tokenCache.get(idp.key, connectionId)).toBeUndefined();
		// Another isolate, where the connection is still busy, asks the object: its copy is gone.
		const answer = await readThroughRefresher(env, {
			providerConfigKey: idp.key,
			connectionId,
			force: false,
		});
		expect(answer).toMatchObject({ ok: false, failure: { reason: "gone" } });
	});
});

describe("list pages", () => {
	it("drop every remembered page when a connection is imported or deleted here", async () => {
		const idp = await provider(server);
		const list = async () =>
			(await call("GET", `/connections?integrationId=${idp.key}&limit=100`)).json.connections.map(
				(item: { connection_id: string }) => item.connection_id,
			);
		const first = await connection(idp.key, 3600_000);
		expect(await list()).toEqual([first]);
		const second = await connection(idp.key, 3600_000);
		expect(await list()).toEqual([first, second]);
		expect((await call("DELETE", `/connections/${first}?provider_config_key=${idp.key}`)).status).toBe(200);
		expect(await list()).toEqual([second]);
	});

	it("reads D1 on every request when the isolate's memory is off", async () => {
		const idp = await provider(server);
		const first = await connection(idp.key, 3600_000);
		const path = `/connections?integrationId=${idp.key}`;
		expect(
			(await call("GET", path, { env: { NANGO_TOKEN_CACHE_SECONDS: "0" } })).json.connections,
		).toHaveLength(1);
		// written behind the worker's back: only a fresh read can see it
		await env.DB.prepare("DELETE FROM connections WHERE connection_id = ?").bind(first).run();
		expect(
			(await call("GET", path, { env: { NANGO_TOKEN_CACHE_SECONDS: "0" } })).json.connections,
		).toHaveLength(0);
	});
});
