/**
 * What the refresher writes to a connection's row (docs/flows.md#never-losing-a-token). Every write names the credentials
 * generation (`credentials_issued_at`) it started from, so a connection deleted or re-authorized
 * meanwhile is never resurrected or overwritten.
 */
import { and, eq, isNull, or, sql } from "drizzle-orm";
import type { Credentials } from "../connections/credentials";
import type { Keyring } from "../crypto/cipher";
import type { Db } from "./client";
import {
	type Connection,
	openCredentials,
	type RefreshError,
	sealCredentials,
	tokenColumns,
} from "./connections";
import { connections, sqlNow } from "./schema";

/** Refreshed credentials, sealed (`sealRefreshed`) before they are stored anywhere. */
export interface RefreshedCredentials {
	sealed: string;
	expiresAt: number | null;
	refreshable: boolean;
	/** epoch ms; the generation these credentials start */
	issuedAt: number;
	metadata: Record<string, unknown>;
}

/** The row and generation a refresh started from. */
export interface Generation {
	id: number;
	issuedAt: number | null;
}

/** Seals refreshed credentials for their row, with the plain columns reads decide on. */
export async function sealRefreshed(
	keyring: Keyring,
	target: Pick<Connection, "providerConfigKey" | "connectionId">,
	credentials: Credentials,
	issuedAt: number,
	metadata: Record<string, unknown>,
): Promise<RefreshedCredentials> {
	const sealed = await sealCredentials(keyring, target, credentials);
	return { sealed, ...tokenColumns(credentials), issuedAt, metadata };
}

/** Opens credentials sealed by `sealRefreshed` (kept by the refresher until D1 has them). */
export async function openRefreshed(
	keyring: Keyring,
	target: Pick<Connection, "providerConfigKey" | "connectionId">,
	refreshed: RefreshedCredentials,
): Promise<Credentials> {
	return openCredentials(keyring, target, refreshed.sealed);
}

/**
 * Writes refreshed credentials by row id and only over the generation they replace (or over
 * themselves, so a retried write is harmless): a connection deleted or re-authorized meanwhile
 * is never resurrected or overwritten. Returns false when no row matched.
 */
export async function saveRefreshedCredentials(
	db: Db,
	from: Generation,
	refreshed: RefreshedCredentials,
): Promise<boolean> {
	const rows = await db
		.update(connections)
		.set({
			credentials: refreshed.sealed,
			expiresAt: refreshed.expiresAt,
			refreshable: refreshed.refreshable,
			credentialsIssuedAt: refreshed.issuedAt,
			metadata: JSON.stringify(refreshed.metadata),
			needsReauth: false,
			lastRefreshError: null,
			refreshFailures: 0,
			refreshExhausted: false,
			updatedAt: sqlNow,
		})
		.where(
			and(
				eq(connections.id, from.id),
				or(generationIs(from.issuedAt), eq(connections.credentialsIssuedAt, refreshed.issuedAt)),
			),
		)
		.returning({ id: connections.id });
	return rows.length > 0;
}

/** The failure count after a failed refresh, and whether it exhausted the connection. */
export interface FailureCount {
	failures: number;
	exhausted: boolean;
}

/**
 * Records a failed refresh on the row (docs/flows.md#refresh-failures), `needsReauth` after
 * `invalid_grant`, one more consecutive failure, and `refresh_exhausted` once there are
 * `maxFailures` of them (docs/background-refresh.md#failures); only on the generation that
 * failed, so a new authorization made meanwhile is not marked. Undefined when no row matched.
 */
export async function saveRefreshFailure(
	db: Db,
	from: Generation,
	error: RefreshError,
	needsReauth: boolean,
	maxFailures: number,
): Promise<FailureCount | undefined> {
	const failures = sql`${connections.refreshFailures} + 1`;
	const row = await db
		.update(connections)
		.set({
			lastRefreshError: JSON.stringify(error),
			needsReauth,
			refreshFailures: failures,
			refreshExhausted: sql`${failures} >= ${maxFailures}`,
			updatedAt: sqlNow,
		})
		.where(and(eq(connections.id, from.id), generationIs(from.issuedAt)))
		.returning({ failures: connections.refreshFailures, exhausted: connections.refreshExhausted })
		.get();
	return row;
}

function generationIs(issuedAt: number | null) {
	return issuedAt === null
		? isNull(connections.credentialsIssuedAt)
		: eq(connections.credentialsIssuedAt, issuedAt);
}
