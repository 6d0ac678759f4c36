// Paged connection lists (docs/api.md#paging): `GET /connections` as today's Nango pages it and
// the early `GET /connection`, both read one page from D1, ordered by id, filters kept.
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { Nango } from "../../sdk/backend/src/index";
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from "../../src/input/paging";
import { call, createConfig, SECRET, unique } from "./support/api";

const A = unique("list-a");
const B = unique("list-b");
/** More rows than the default page, so the default is seen to cut. */
const TOTAL = DEFAULT_PAGE_LIMIT + 100;

/** Every id of the listed keys as D1 holds them, ascending. */
async function idsOf(...keys: string[]): Promise<number[]> {
	const { results } = await env.DB.prepare(
		`SELECT id FROM connections WHERE provider_config_key IN (${keys.map(() => "?").join(",")}) ORDER BY id`,
	)
		.bind(...keys)
		.all<{ id: number }>();
	return results.map((row) => row.id);
}

async function list(path: string) {
	const response = await call("GET", path);
	expect(response.status).toBe(200);
	return response.json.connections as Array<{
		id: number;
		provider_config_key: string;
		connection_id: string;
	}>;
}

/** Reads every page of `path` (which already has a query) with `limit`, until an empty one. */
async function allPages(path: string, limit: number) {
	const pages: number[][] = [];
	for (let page = 0; page < 100; page += 1) {
		const rows = await list(`${path}&limit=${limit}&page=${page}`);
		pages.push(rows.map((row) => row.id));
		if (rows.length === 0) break;
	}
	return pages;
}

function expectAscending(ids: number[]) {
	for (let i = 1; i < ids.length; i += 1) expect(ids[i]).toBeGreaterThan(Number(ids[i - 1]));
}

beforeAll(async () => {
	await createConfig(A);
	await createConfig(B);
	// One statement: every tenth row is B's, interleaved with A's; plus "shared" in both configs.
	await env.DB.prepare(
		`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?3)
		 INSERT INTO connections (provider_config_key, connection_id, auth_mode, credentials)
		 SELECT CASE WHEN i % 10 = 0 THEN ?2 ELSE ?1 END, 'user-' || i, 'OAUTH2', 'v1.sealed' FROM n`,
	)
		.bind(A, B, TOTAL)
		.run();
	await env.DB.batch(
		[A, B].map((key) =>
			env.DB.prepare(
				"INSERT INTO connections (provider_config_key, connection_id, auth_mode, credentials) VALUES (?, 'shared', 'OAUTH2', 'v1.sealed')",
			).bind(key),
		),
	);
});

describe("GET /connections pages (today's Nango)", () => {
	it("pages are disjoint, ordered by id, complete, and at most `limit` long", async () => {
		const expected = await idsOf(A, B);
		expect(expected).toHaveLength(TOTAL + 2);
		const pages = await allPages(`/connections?integrationId=${A},${B}`, 300);
		expect(pages.map((page) => page.length)).toEqual([300, 300, 300, 202, 0]);
		const flat = pages.flat();
		expect(new Set(flat).size).toBe(flat.length);
		expectAscending(flat);
		expect(flat).toEqual(expected);
	});

	it("keeps the filters: one integration, a comma-joined list, a connection id", async () => {
		const onlyB = (await allPages(`/connections?integrationId=${B}`, 50)).flat();
		expect(onlyB).toEqual(await idsOf(B));
		expect(onlyB).toHaveLength(TOTAL / 10 + 1);

		const shared = await allPages(`/connections?integrationId=${A},${B}&connectionId=shared`, 1);
		expect(shared.map((page) => page.length)).toEqual([1, 1, 0]);
		const rows = await list(`/connections?connectionId=shared&integrationId=${B},${A}`);
		expect(rows.map((row) => [row.provider_config_key, row.connection_id])).toEqual([
			[A, "shared"],
			[B, "shared"],
		]);
	});

	it(`answers ${DEFAULT_PAGE_LIMIT} rows without a limit, and up to ${MAX_PAGE_LIMIT} with one`, async () => {
		const expected = await idsOf(A, B);
		const first = await list(`/connections?integrationId=${A},${B}`);
		expect(first.map((row) => row.id)).toEqual(expected.slice(0, DEFAULT_PAGE_LIMIT));
		const second = await list(`/connections?integrationId=${A},${B}&page=1`);
		expect(second.map((row) => row.id)).toEqual(expected.slice(DEFAULT_PAGE_LIMIT));
		const whole = await list(`/connections?integrationId=${A},${B}&limit=${MAX_PAGE_LIMIT}`);
		expect(whole.map((row) => row.id)).toEqual(expected);
	});
});

describe("the backend SDK's listConnections", () => {
	it("passes limit and page", async () => {
		const nango = new Nango({
			host: "https://nango.internal",
			secretKey: SECRET,
			// `wrangler types` does not declare the main module, so `exports.default` is untyped here.
			fetch: (request) => (exports as unknown as { default: Fetcher }).default.fetch(request),
		});
		const expected = await idsOf(B);
		const page = await nango.listConnections({ providerConfigKey: B, limit: 7, page: 2 });
		expect(page.connections.map((row) => row.id)).toEqual(expected.slice(14, 21));
	});
});

describe("GET /connection pages (early shape)", () => {
	it("answers the first page by default and the rest on the next pages, in the same shape", async () => {
		const { results } = await env.DB.prepare("SELECT id FROM connections ORDER BY id").all<{ id: number }>();
		const expected = results.map((row) => row.id);
		expect(expected.length).toBeGreaterThan(DEFAULT_PAGE_LIMIT);
		const response = await call("GET", "/connection");
		expect(Object.keys(response.json)).toEqual(["connections"]);
		expect(response.json.connections[0]).toEqual({
			id: expected[0],
			connection_id: expect.any(String),
			provider: expect.any(String),
			provider_config_key: expect.any(String),
			created: expect.any(String),
		});
		const first = (await list("/connection")).map((row) => row.id);
		expect(first).toEqual(expected.slice(0, DEFAULT_PAGE_LIMIT));
		const pages = await allPages("/connection?", 400);
		expect(pages.slice(0, -1).every((page) => page.length <= 400)).toBe(true);
		expect(pages.flat()).toEqual(expected);
	});
});

describe("paging bounds", () => {
	for (const query of [
		"limit=0",
		`limit=${MAX_PAGE_LIMIT + 1}`,
		"limit=1.5",
		"limit=1e3",
		"limit=abc",
		"limit=",
		"limit=-1",
		"page=-1",
		"page=0.5",
		"page=1000000000",
	]) {
		it(`refuses ${query} with 400 invalid_query on both lists`, async () => {
			for (const path of ["/connections", "/connection"]) {
				const response = await call("GET", `${path}?${query}`);
				expect(response.status).toBe(400);
				expect(response.json.code).toBe("invalid_query");
			}
		});
	}

	it("answers an empty page past the end", async () => {
		expect(await list(`/connections?integrationId=${A}&limit=${MAX_PAGE_LIMIT}&page=5`)).toEqual([]);
		expect(await list("/connection?page=999999999")).toEqual([]);
	});
});
