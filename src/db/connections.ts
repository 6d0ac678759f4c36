/**
 * Connections in D1. Credentials are sealed here and opened here, bound to their row
 * (config key + connection id) so a ciphertext copied onto another row fails to open.
 */
import { and, asc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { Credentials } from "../connection/credentials";
import { aad, type Keyring } from "../crypto/cipher";
import { ApiError } from "../errors";
import type { Db } from "./client";
import { configs, connections } from "./schema";

export interface RefreshError {
	code: string;
	message: string;
	at: string;
}

export interface Connection {
	id: number;
	providerConfigKey: string;
	connectionId: string;
	credentials: Credentials;
	connectionConfig: Record<string, unknown>;
	metadata: Record<string, unknown>;
	needsReauth: boolean;
	lastRefreshError: RefreshError | null;
	/** epoch ms when the provider issued these credentials; null when unknown (imported) */
	credentialsIssuedAt: number | null;
	createdAt: string;
	updatedAt: string;
	/** the config's template name and custom fields: what a refresh needs, read in the same query */
	provider: string;
	template: string | null;
}

export interface ConnectionSummary {
	id: number;
	providerConfigKey: string;
	connectionId: string;
	createdAt: string;
}

export interface ConnectionInput {
	providerConfigKey: string;
	connectionId: string;
	credentials: Credentials;
	connectionConfig: Record<string, unknown>;
	metadata: Record<string, unknown>;
}

export const credentialsAad = (providerConfigKey: string, connectionId: string) =>
	aad("connections", providerConfigKey, connectionId, "credentials");

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

/** The hot path: one indexed read (joined with its config), one decryption. */
export async function getConnection(
	db: Db,
	keyring: Keyring,
	providerConfigKey: string,
	connectionId: string,
): Promise<Connection | undefined> {
	const row = await db
		.select({
			connection: connections,
			provider: configs.provider,
			template: configs.template,
		})
		.from(connections)
		.innerJoin(configs, eq(configs.uniqueKey, connections.providerConfigKey))
		.where(
			and(eq(connections.providerConfigKey, providerConfigKey), eq(connections.connectionId, connectionId)),
		)
		.get();
	if (!row) return undefined;
	const c = row.connection;
	const plain = await keyring.open(c.credentials, credentialsAad(c.providerConfigKey, c.connectionId));
	return {
		id: c.id,
		providerConfigKey: c.providerConfigKey,
		connectionId: c.connectionId,
		credentials: JSON.parse(plain) as Credentials,
		connectionConfig: JSON.parse(c.connectionConfig) as Record<string, unknown>,
		metadata: JSON.parse(c.metadata) as Record<string, unknown>,
		needsReauth: c.needsReauth,
		lastRefreshError: c.lastRefreshError ? (JSON.parse(c.lastRefreshError) as RefreshError) : null,
		credentialsIssuedAt: c.credentialsIssuedAt,
		createdAt: c.createdAt,
		updatedAt: c.updatedAt,
		provider: row.provider,
		template: row.template,
	};
}

export async function listConnections(
	db: Db,
	filter: { providerConfigKeys?: string[] | undefined; connectionId?: string | undefined },
): Promise<ConnectionSummary[]> {
	const conditions = [
		filter.providerConfigKeys === undefined
			? undefined
			: inArray(connections.providerConfigKey, filter.providerConfigKeys),
		filter.connectionId === undefined ? undefined : eq(connections.connectionId, filter.connectionId),
	];
	return db
		.select({
			id: connections.id,
			providerConfigKey: connections.providerConfigKey,
			connectionId: connections.connectionId,
			createdAt: connections.createdAt,
		})
		.from(connections)
		.where(and(...conditions))
		.orderBy(asc(connections.id));
}

/** Imports credentials (POST /connection); a duplicate is a conflict, never an overwrite. */
export async function insertConnection(db: Db, keyring: Keyring, input: ConnectionInput): Promise<void> {
	const config = await db
		.select({ id: configs.id })
		.from(configs)
		.where(eq(configs.uniqueKey, input.providerConfigKey))
		.get();
	if (!config) throw new ApiError("unknown_provider_config");
	const row = await db
		.insert(connections)
		.values(await columns(keyring, input))
		.onConflictDoNothing({ target: [connections.providerConfigKey, connections.connectionId] })
		.returning({ id: connections.id })
		.get();
	if (!row) throw new ApiError("duplicate_connection");
}

/**
 * Stores a new authorization (OAuth callback): replaces the credentials of an existing
 * connection and clears its re-authorization flag, or creates it.
 */
export async function saveAuthorization(db: Db, keyring: Keyring, input: ConnectionInput): Promise<void> {
	// Just issued: a new generation, whose lifetime is known (SPEC §6 refresh margin).
	const values = { ...(await columns(keyring, input)), credentialsIssuedAt: Date.now() };
	await db
		.insert(connections)
		.values(values)
		.onConflictDoUpdate({
			target: [connections.providerConfigKey, connections.connectionId],
			set: { ...values, needsReauth: false, lastRefreshError: null, updatedAt: now },
		});
}

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
	const sealed = await keyring.seal(
		JSON.stringify(credentials),
		credentialsAad(target.providerConfigKey, target.connectionId),
	);
	return { sealed, ...tokenColumns(credentials), issuedAt, metadata };
}

/** Opens credentials sealed by `sealRefreshed` (kept by the refresher until D1 has them). */
export async function openRefreshed(
	keyring: Keyring,
	target: Pick<Connection, "providerConfigKey" | "connectionId">,
	refreshed: RefreshedCredentials,
): Promise<Credentials> {
	const plain = await keyring.open(
		refreshed.sealed,
		credentialsAad(target.providerConfigKey, target.connectionId),
	);
	return JSON.parse(plain) as Credentials;
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
			updatedAt: now,
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

/**
 * Records a failed refresh on the row (SPEC §6), `needsReauth` after `invalid_grant`; only on the
 * generation that failed, so a new authorization made meanwhile is not marked.
 */
export async function saveRefreshFailure(
	db: Db,
	from: Generation,
	error: RefreshError,
	needsReauth: boolean,
): Promise<void> {
	await db
		.update(connections)
		.set({ lastRefreshError: JSON.stringify(error), needsReauth, updatedAt: now })
		.where(and(eq(connections.id, from.id), generationIs(from.issuedAt)));
}

function generationIs(issuedAt: number | null) {
	return issuedAt === null
		? isNull(connections.credentialsIssuedAt)
		: eq(connections.credentialsIssuedAt, issuedAt);
}

export async function deleteConnection(
	db: Db,
	providerConfigKey: string,
	connectionId: string,
): Promise<void> {
	const rows = await db
		.delete(connections)
		.where(
			and(eq(connections.providerConfigKey, providerConfigKey), eq(connections.connectionId, connectionId)),
		)
		.returning({ id: connections.id });
	if (rows.length === 0) throw new ApiError("unknown_connection");
}

async function columns(keyring: Keyring, input: ConnectionInput) {
	return {
		providerConfigKey: input.providerConfigKey,
		connectionId: input.connectionId,
		authMode: input.credentials.type,
		credentials: await keyring.seal(
			JSON.stringify(input.credentials),
			credentialsAad(input.providerConfigKey, input.connectionId),
		),
		...tokenColumns(input.credentials),
		connectionConfig: JSON.stringify(input.connectionConfig),
		metadata: JSON.stringify(input.metadata),
	};
}

/** The plain columns that let a read decide freshness without decrypting. */
function tokenColumns(credentials: Credentials): { expiresAt: number | null; refreshable: boolean } {
	if (credentials.type !== "OAUTH2") return { expiresAt: null, refreshable: false };
	return {
		expiresAt: credentials.expires_at ? Date.parse(credentials.expires_at) : null,
		refreshable: Boolean(credentials.refresh_token),
	};
}
