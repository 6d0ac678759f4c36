/**
 * The token read path (docs/flows.md#token-caches), the product's hot path: `getToken()` runs
 * before every API call an app makes.
 * 1. The isolate's memory: a connection read here in the last seconds, its token still fresh,
 *    is answered with no I/O at all.
 * 2. A connection busy in this isolate goes to its Durable Object, which answers from memory
 *    when warm and is the only writer of its credentials anyway (refresh, fan-in).
 * 3. Anything else (a first read here) is one D1 read: creating a Durable Object costs more than
 *    that, so a cold connection does not wake one unless its token needs a refresh.
 * `force_refresh` skips 1 and goes to the object, which refreshes once for all concurrent callers
 * and stores the result before answering.
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
import {
	askRefresher,
	type RefreshAnswer,
	type RefreshTarget,
	readThroughRefresher,
} from "./refresher-client";
import { expirationBuffer } from "./template";
import { serveSeconds, tokenCache } from "./token-cache";

export interface ReadOptions {
	forceRefresh: boolean;
	/** with `forceRefresh`: refresh only while the connection still holds this refused token */
	refusedToken?: string | undefined;
	/** keeps background work alive after the answer (the request's `waitUntil`) */
	waitUntil?: ((promise: Promise<unknown>) => void) | undefined;
}

export async function readConnection(
	env: Bindings,
	providerConfigKey: string,
	connectionId: string,
	options: ReadOptions,
): Promise<Connection> {
	const ttl = serveSeconds(env.NANGO_TOKEN_CACHE_SECONDS);
	const since = tokenCache.mark();
	const target: RefreshTarget = {
		providerConfigKey,
		connectionId,
		force: options.forceRefresh,
		...(options.forceRefresh && options.refusedToken !== undefined ? { refused: options.refusedToken } : {}),
	};
	if (!options.forceRefresh) {
		const cached = tokenCache.get(providerConfigKey, connectionId);
		if (cached && "connection" in cached) return served(env, target, cached, options.waitUntil);
		if (cached)
			return remember(await answered(env, target, await readThroughRefresher(env, target)), ttl, since);
	}
	const db = database(env.DB);
	const connection = await getConnection(db, await keyringFrom(env), providerConfigKey, connectionId);
	if (!connection) throw await notFound(db, providerConfigKey);
	// Until re-authorized or forced (docs/background-refresh.md#failures).
	if (connection.refreshExhausted && !options.forceRefresh) throw new ApiError("refresh_exhausted");
	const now = Date.now();
	// OAuth 1 tokens and tokens without a refresh token are served as they are, even when forced.
	if (!canRefresh(connection.credentials)) return remember(connection, ttl, since);
	if (!options.forceRefresh) {
		if (!needsRefresh(connection, expirationBuffer(connection), now)) return remember(connection, ttl, since);
		// The provider just failed and the token still works: don't ask it again on every read.
		if (inRetryBackoff(connection, now)) return remember(connection, ttl, since);
	}
	return remember(await answered(env, target, await askRefresher(env, target)), ttl, since);
}

/**
 * Steps 1 and 2 alone, for a read that is not forced: the connection from this isolate's memory
 * (synchronously), or, for a connection busy here, from its Durable Object. Undefined when
 * neither applies, or when the object answered a failure: the caller then takes
 * `readConnection`, which answers it (with its error).
 */
export function readWarm(
	env: Bindings,
	providerConfigKey: string,
	connectionId: string,
	waitUntil: (promise: Promise<unknown>) => void,
): Connection | Promise<Connection | undefined> | undefined {
	const cached = tokenCache.get(providerConfigKey, connectionId);
	if (!cached) return undefined;
	const target: RefreshTarget = { providerConfigKey, connectionId, force: false };
	if ("connection" in cached) return served(env, target, cached, waitUntil);
	const ttl = serveSeconds(env.NANGO_TOKEN_CACHE_SECONDS);
	const since = tokenCache.mark();
	return readThroughRefresher(env, target).then((answer) =>
		answer.ok ? remember(answer.connection, ttl, since) : undefined,
	);
}

/** A connection from memory; the one read that finds it due starts its renewal. */
function served(
	env: Bindings,
	target: RefreshTarget,
	cached: { connection: Connection; renew: boolean },
	waitUntil: ((promise: Promise<unknown>) => void) | undefined,
): Connection {
	if (cached.renew) waitUntil?.(renew(env, target, serveSeconds(env.NANGO_TOKEN_CACHE_SECONDS)));
	return cached.connection;
}

/**
 * The request's `waitUntil`, so work after the answer is not cut off. Without an execution
 * context (the app called directly, as in tests) the work simply runs on.
 */
export function inBackground(c: {
	executionCtx: { waitUntil(promise: Promise<unknown>): void };
}): (promise: Promise<unknown>) => void {
	return (promise) => {
		try {
			c.executionCtx.waitUntil(promise);
		} catch {
			// no execution context: nothing can cut the promise off
		}
	};
}

/** A newer copy from the connection's object, fetched after the answer; a failure changes nothing. */
async function renew(env: Bindings, target: RefreshTarget, ttl: number): Promise<void> {
	const since = tokenCache.mark();
	try {
		const answer = await readThroughRefresher(env, target);
		if (answer.ok) remember(answer.connection, ttl, since);
		else tokenCache.forget(target.providerConfigKey, target.connectionId);
	} catch {
		tokenCache.forget(target.providerConfigKey, target.connectionId);
	}
}

/**
 * Kept in the isolate's memory. A token that already needs a refresh (served while the provider
 * is failing) is never served from there: the entry then only marks the connection busy.
 */
function remember(connection: Connection, ttl: number, since: number): Connection {
	tokenCache.set(connection, ttl, since);
	return connection;
}

/** The refresher's answer as the connection, or the API error it stands for. */
async function answered(env: Bindings, target: RefreshTarget, answer: RefreshAnswer): Promise<Connection> {
	if (answer.ok) return answer.connection;
	if ("error" in answer) throw new ApiError(answer.error.code, answer.error.message);
	if (answer.failure.reason === "gone") {
		// Deleted (elsewhere): forget it here too, and say which of the two is gone, as a plain read would.
		tokenCache.forget(target.providerConfigKey, target.connectionId);
		throw await notFound(database(env.DB), target.providerConfigKey);
	}
	throw failureError(answer.failure);
}

/** Only on a miss: tell an unknown config from an unknown connection. */
async function notFound(db: Db, providerConfigKey: string): Promise<ApiError> {
	return new ApiError(
		(await configExists(db, providerConfigKey)) ? "unknown_connection" : "unknown_provider_config",
	);
}
