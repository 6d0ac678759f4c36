/**
 * The token read path (SPEC §6): one D1 read; a fresh token is answered from it directly, a
 * stale one goes through the connection's Durable Object, the only writer of its credentials.
 */
import { keyringFrom } from "../crypto/cipher";
import { type Db, database } from "../db/client";
import { configExists } from "../db/configs";
import { type Connection, getConnection } from "../db/connections";
import type { Bindings } from "../env";
import { ApiError } from "../errors";

export interface ReadOptions {
	forceRefresh: boolean;
}

export async function readConnection(
	env: Bindings,
	providerConfigKey: string,
	connectionId: string,
	_options: ReadOptions,
): Promise<Connection> {
	const db = database(env.DB);
	const connection = await getConnection(db, await keyringFrom(env), providerConfigKey, connectionId);
	if (!connection) throw await notFound(db, providerConfigKey);
	return connection;
}

/** Only on a miss: tell an unknown config from an unknown connection. */
async function notFound(db: Db, providerConfigKey: string): Promise<ApiError> {
	return new ApiError(
		(await configExists(db, providerConfigKey)) ? "unknown_connection" : "unknown_provider_config",
	);
}
