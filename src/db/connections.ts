/**
 * Connections in D1. Credentials are sealed here and opened here, bound to their row
 * (config key + connection id) so a ciphertext copied onto another row fails to open.
 * What the refresher writes (by credentials generation) is in `refreshed-credentials.ts`.
 */
import { and, asc, eq, sql } from "drizzle-orm";
import { canRefresh, expiresAt } from "../auth-modes/registry";
import type { EndUser } from "../connect-sessions/session";
import type { Credentials } from "../connections/credentials";
import { aad, type Keyring } from "../crypto/cipher";
import { ApiError } from "../errors";
import type { Paging } from "../input/paging";
import type { TemplateFields } from "../providers/template";
import type { Db } from "./client";
import { parseTemplateFields } from "./configs";
import { type ConnectionRow, configs, connections, sqlNow } from "./schema";

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
	/** consecutive failed refreshes (docs/background-refresh.md#failures) */
	refreshFailures: number;
	/** too many of them: reads answer 424 until re-authorized or forced */
	refreshExhausted: boolean;
	/** epoch ms when the provider issued these credentials; null when unknown (imported) */
	credentialsIssuedAt: number | null;
	createdAt: string;
	updatedAt: string;
	/** who the connection belongs to in the app: from the connect session that made it */
	endUser: EndUser | null;
	tags: Record<string, string>;
	/** the config's template name and custom fields: what a refresh needs, read in the same query */
	provider: string;
	template: TemplateFields | null;
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
	/** set by a flow under a connect session; left as stored when absent */
	owner?: ConnectionOwner;
}

/** Who a connection made under a connect session belongs to, and where its auth webhooks go. */
export interface ConnectionOwner {
	endUser: EndUser | null;
	tags: Record<string, string>;
	/** the session's webhook_url_override (not stored on the connection) */
	webhookUrl?: string;
}

type Place = Pick<Connection, "providerConfigKey" | "connectionId">;

export const credentialsAad = (providerConfigKey: string, connectionId: string) =>
	aad("connections", providerConfigKey, connectionId, "credentials");

export function sealCredentials(keyring: Keyring, place: Place, credentials: Credentials): Promise<string> {
	return keyring.seal(
		JSON.stringify(credentials),
		credentialsAad(place.providerConfigKey, place.connectionId),
	);
}

export async function openCredentials(keyring: Keyring, place: Place, sealed: string): Promise<Credentials> {
	const plain = await keyring.open(sealed, credentialsAad(place.providerConfigKey, place.connectionId));
	return JSON.parse(plain) as Credentials;
}

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
	const credentials = await openCredentials(keyring, row.connection, row.connection.credentials);
	return toConnection(row.connection, credentials, row);
}

/** Our own JSON columns, written by this module, as the connection object carries them. */
function toConnection(
	row: ConnectionRow,
	credentials: Credentials,
	config: { provider: string; template: string | null },
): Connection {
	return {
		id: row.id,
		providerConfigKey: row.providerConfigKey,
		connectionId: row.connectionId,
		credentials,
		connectionConfig: JSON.parse(row.connectionConfig) as Record<string, unknown>,
		metadata: JSON.parse(row.metadata) as Record<string, unknown>,
		needsReauth: row.needsReauth,
		lastRefreshError: row.lastRefreshError ? (JSON.parse(row.lastRefreshError) as RefreshError) : null,
		refreshFailures: row.refreshFailures,
		refreshExhausted: row.refreshExhausted,
		credentialsIssuedAt: row.credentialsIssuedAt,
		createdAt: row.createdAt,
		updatedAt: row.updatedAt,
		endUser: row.endUser ? (JSON.parse(row.endUser) as EndUser) : null,
		tags: JSON.parse(row.tags) as Record<string, string>,
		provider: config.provider,
		template: parseTemplateFields(config.template),
	};
}

/**
 * One page of connections, ordered by id (stable: ids only grow), filtered and cut in D1 so no
 * call reads or builds more than `paging.limit` rows (docs/api.md#paging).
 */
export async function listConnections(
	db: Db,
	filter: { providerConfigKeys?: string[] | undefined; connectionId?: string | undefined },
	paging: Paging,
): Promise<ConnectionSummary[]> {
	const conditions = [
		filter.providerConfigKeys === undefined
			? undefined
			: // one bound parameter however many keys: D1 refuses statements with over 100
				sql`${connections.providerConfigKey} IN (SELECT value FROM json_each(${JSON.stringify(filter.providerConfigKeys)}))`,
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
		.orderBy(asc(connections.id))
		.limit(paging.limit)
		.offset(paging.page * paging.limit);
}

/**
 * Imports credentials (POST /connection); a duplicate is a conflict, never an overwrite. Answers
 * the stored connection from what was written, without reading it back or decrypting it.
 */
export async function insertConnection(
	db: Db,
	keyring: Keyring,
	input: ConnectionInput,
): Promise<Connection> {
	const config = await db
		.select({ provider: configs.provider, template: configs.template })
		.from(configs)
		.where(eq(configs.uniqueKey, input.providerConfigKey))
		.get();
	if (!config) throw new ApiError("unknown_provider_config");
	const row = await db
		.insert(connections)
		.values(await columns(keyring, input))
		.onConflictDoNothing({ target: [connections.providerConfigKey, connections.connectionId] })
		.returning()
		.get();
	if (!row) throw new ApiError("duplicate_connection");
	return toConnection(row, input.credentials, config);
}

/**
 * Stores a new authorization (OAuth callback, credential routes): replaces the credentials of an
 * existing connection and clears its re-authorization flag and failure count, or creates it.
 * Answers which of the two it did (the auth webhook's `creation` or `override`).
 */
export async function saveAuthorization(
	db: Db,
	keyring: Keyring,
	input: ConnectionInput,
): Promise<{ created: boolean }> {
	// Just issued: a new generation, whose lifetime is known (docs/flows.md#refresh-margin).
	const values = {
		...(await columns(keyring, input)),
		credentialsIssuedAt: Date.now(),
		...(input.owner
			? {
					endUser: input.owner.endUser ? JSON.stringify(input.owner.endUser) : null,
					tags: JSON.stringify(input.owner.tags),
				}
			: {}),
	};
	const row = await db
		.insert(connections)
		.values(values)
		.onConflictDoUpdate({
			target: [connections.providerConfigKey, connections.connectionId],
			set: {
				...values,
				needsReauth: false,
				lastRefreshError: null,
				refreshFailures: 0,
				refreshExhausted: false,
				authorizations: sql`${connections.authorizations} + 1`,
				updatedAt: sqlNow,
			},
		})
		.returning({ authorizations: connections.authorizations })
		.get();
	return { created: row?.authorizations === 1 };
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
		credentials: await sealCredentials(keyring, input, input.credentials),
		...tokenColumns(input.credentials),
		connectionConfig: JSON.stringify(input.connectionConfig),
		metadata: JSON.stringify(input.metadata),
	};
}

/** The plain columns that let a read decide freshness without decrypting. */
export function tokenColumns(credentials: Credentials): { expiresAt: number | null; refreshable: boolean } {
	return { expiresAt: expiresAt(credentials) ?? null, refreshable: canRefresh(credentials) };
}

/** A connection's stored connection config, or undefined when there is no such connection. */
export async function connectionConfigOf(
	db: Db,
	providerConfigKey: string,
	connectionId: string,
): Promise<Record<string, unknown> | undefined> {
	const row = await db
		.select({ connectionConfig: connections.connectionConfig })
		.from(connections)
		.where(
			and(eq(connections.providerConfigKey, providerConfigKey), eq(connections.connectionId, connectionId)),
		)
		.get();
	return row ? (JSON.parse(row.connectionConfig) as Record<string, unknown>) : undefined;
}
