/**
 * The background refresh's pick (docs/background-refresh.md): refreshable, not exhausted
 * connections whose token expires before the next run or whose refresh token has been idle too
 * long (never used here: imported), idlest first, at most `limit`. Both conditions are served by
 * partial indexes (migrations/0006), so a run costs the same however many connections exist.
 */
import { and, asc, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "./client";
import { connections } from "./schema";

export interface DueConnection {
	providerConfigKey: string;
	connectionId: string;
}

export function dueConnections(
	db: Db,
	options: { expiringBefore: number; idleBefore: number; limit: number },
): Promise<DueConnection[]> {
	return db
		.select({ providerConfigKey: connections.providerConfigKey, connectionId: connections.connectionId })
		.from(connections)
		.where(
			and(
				eq(connections.refreshable, true),
				eq(connections.refreshExhausted, false),
				or(
					lt(connections.expiresAt, options.expiringBefore),
					isNull(connections.credentialsIssuedAt),
					lt(connections.credentialsIssuedAt, options.idleBefore),
				),
			),
		)
		.orderBy(asc(sql`coalesce(${connections.credentialsIssuedAt}, 0)`))
		.limit(options.limit);
}
