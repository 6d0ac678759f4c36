/**
 * One page of the connection list (docs/api.md#paging): a D1 range read over the covering index
 * `connections_list`, and for a few seconds the isolate's memory of it, so a dashboard polling a
 * page does not cost a query each time. Any connection or config written in this isolate drops
 * every remembered page at once; other isolates show the change within LIST_TTL_MS.
 */
import { database } from "../db/client";
import { type ConnectionSummary, listConnections } from "../db/connections";
import type { Bindings } from "../env";
import type { Paging } from "../input/paging";
import { serveSeconds } from "./token-cache";

/** At most this long; never longer than the token serve TTL, and off when that is 0. */
const LIST_TTL_MS = 5_000;
const MAX_PAGES = 200;

export interface ListFilter {
	providerConfigKeys?: string[] | undefined;
	connectionId?: string | undefined;
}

const pages = new Map<string, { rows: ConnectionSummary[]; until: number }>();

export async function listPage(
	env: Bindings,
	filter: ListFilter,
	paging: Paging,
): Promise<ConnectionSummary[]> {
	const ttl = Math.min(LIST_TTL_MS, serveSeconds(env.NANGO_TOKEN_CACHE_SECONDS) * 1000);
	const key = JSON.stringify([
		filter.providerConfigKeys ?? null,
		filter.connectionId ?? null,
		paging.limit,
		paging.page,
	]);
	const now = Date.now();
	const kept = pages.get(key);
	if (kept && kept.until > now) return kept.rows;
	const rows = await listConnections(database(env.DB), filter, paging);
	if (ttl > 0) {
		if (pages.size >= MAX_PAGES) pages.clear();
		pages.set(key, { rows, until: now + ttl });
	}
	return rows;
}

/** Drops every remembered page: a connection or config changed in this isolate. */
export function forgetPages(): void {
	pages.clear();
}
