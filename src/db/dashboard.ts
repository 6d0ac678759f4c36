/**
 * What the dashboard lists (docs/dashboard.md): connections with the plain columns that say how
 * each is doing, never their sealed credentials, searched by connection id or end user, a page
 * at a time; and connection counts per config.
 */
import { and, desc, eq, or, sql } from "drizzle-orm";
import type { EndUser } from "../connect-sessions/session";
import type { Db } from "./client";
import type { RefreshError } from "./connections";
import { connections } from "./schema";

export interface ConnectionStatusRow {
	providerConfigKey: string;
	connectionId: string;
	authMode: string;
	expiresAt: number | null;
	refreshable: boolean;
	needsReauth: boolean;
	lastRefreshError: RefreshError | null;
	refreshFailures: number;
	refreshExhausted: boolean;
	credentialsIssuedAt: number | null;
	endUser: EndUser | null;
	createdAt: string;
}

export const DASHBOARD_PAGE = 50;

/** One page, newest first; `more` when another page follows. */
export async function dashboardConnections(
	db: Db,
	options: { search?: string; providerConfigKey?: string; page: number },
): Promise<{ rows: ConnectionStatusRow[]; more: boolean }> {
	const conditions = [];
	if (options.providerConfigKey)
		conditions.push(eq(connections.providerConfigKey, options.providerConfigKey));
	if (options.search) {
		const pattern = `%${options.search.replaceAll(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
		conditions.push(
			or(
				sql`${connections.connectionId} LIKE ${pattern} ESCAPE '\\'`,
				sql`${connections.endUser} LIKE ${pattern} ESCAPE '\\'`,
			),
		);
	}
	const rows = await db
		.select({
			providerConfigKey: connections.providerConfigKey,
			connectionId: connections.connectionId,
			authMode: connections.authMode,
			expiresAt: connections.expiresAt,
			refreshable: connections.refreshable,
			needsReauth: connections.needsReauth,
			lastRefreshError: connections.lastRefreshError,
			refreshFailures: connections.refreshFailures,
			refreshExhausted: connections.refreshExhausted,
			credentialsIssuedAt: connections.credentialsIssuedAt,
			endUser: connections.endUser,
			createdAt: connections.createdAt,
		})
		.from(connections)
		.where(conditions.length > 0 ? and(...conditions) : undefined)
		.orderBy(desc(connections.id))
		.limit(DASHBOARD_PAGE + 1)
		.offset(options.page * DASHBOARD_PAGE);
	return {
		rows: rows.slice(0, DASHBOARD_PAGE).map((row) => ({
			...row,
			lastRefreshError: row.lastRefreshError ? (JSON.parse(row.lastRefreshError) as RefreshError) : null,
			endUser: row.endUser ? (JSON.parse(row.endUser) as EndUser) : null,
		})),
		more: rows.length > DASHBOARD_PAGE,
	};
}

/** Connections per config key. */
export async function connectionCounts(db: Db): Promise<Map<string, number>> {
	const rows = await db
		.select({ key: connections.providerConfigKey, count: sql<number>`count(*)` })
		.from(connections)
		.groupBy(connections.providerConfigKey);
	return new Map(rows.map((row) => [row.key, row.count]));
}

/** How a connection is doing, from its plain columns: what the dashboard's status column shows. */
export type ConnectionStatus = "fresh" | "expiring" | "needs_reauth" | "refresh_error" | "exhausted";

export function connectionStatus(row: ConnectionStatusRow, now = Date.now()): ConnectionStatus {
	if (row.refreshExhausted) return "exhausted";
	if (row.needsReauth) return "needs_reauth";
	if (row.lastRefreshError) return "refresh_error";
	// within the default refresh margin: the next read (or the cron) refreshes it
	if (row.expiresAt !== null && row.expiresAt - now < 15 * 60_000) return "expiring";
	return "fresh";
}
