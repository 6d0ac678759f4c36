/**
 * The token read path (docs/flows.md#token-freshness): one D1 read; a fresh token is answered from it directly, a
 * stale one (or `force_refresh`) goes through the connection's Durable Object, the only writer
 * of its credentials, which re-checks, refreshes once for all concurrent callers, and stores the
 * result before answering.
 */
import { canRefresh } from "../auth-modes/registry";
import { keyringFrom } from "../crypto/cipher";
import { type Db, database } from "../db/client";
import { configExists } from "../db/configs";
import { type Connection, getConnection } from "../db/connections";
import type { Bindings } from "../env";
import { ApiError } from "../errors";
import { inRetryBackoff, needsRefresh } from "./freshness";
import { failureError } from "./refresh-failure";
import { askRefresher } from "./refresher";
import { expirationBuffer } from "./template";

export interface ReadOptions {
	forceRefresh: boolean;
}

export async function readConnection(
	env: Bindings,
	providerConfigKey: string,
	connectionId: string,
	options: ReadOptions,
): Promise<Connection> {
	const db = database(env.DB);
	const connection = await getConnection(db, await keyringFrom(env), providerConfigKey, connectionId);
	if (!connection) throw await notFound(db, providerConfigKey);
	// OAuth 1 tokens and tokens without a refresh token are served as they are, even when forced.
	if (!canRefresh(connection.credentials)) return connection;
	const now = Date.now();
	if (!options.forceRefresh) {
		if (!needsRefresh(connection, expirationBuffer(connection), now)) return connection;
		// The provider just failed and the token still works: don't ask it again on every read.
		if (inRetryBackoff(connection, now)) return connection;
	}
	const answer = await askRefresher(env, {
		providerConfigKey,
		connectionId,
		force: options.forceRefresh,
	});
	if (answer.ok) return answer.connection;
	if ("error" in answer) throw new ApiError(answer.error.code, answer.error.message);
	// Deleted while refreshing: say which of the two is gone, as a plain read would.
	if (answer.failure.reason === "gone") throw await notFound(db, providerConfigKey);
	throw failureError(answer.failure);
}

/** Only on a miss: tell an unknown config from an unknown connection. */
async function notFound(db: Db, providerConfigKey: string): Promise<ApiError> {
	return new ApiError(
		(await configExists(db, providerConfigKey)) ? "unknown_connection" : "unknown_provider_config",
	);
}
