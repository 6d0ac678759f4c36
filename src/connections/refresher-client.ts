/**
 * How the rest of the worker talks to a connection's `ConnectionRefresher` (docs/flows.md#one-writer-per-connection):
 * its name, and the answers of its RPC methods as values (an exception crossing Durable Object
 * RPC would lose its class and code).
 *
 * @example
 * const answer = await askRefresher(env, { providerConfigKey: "github", connectionId: "user-1", force: false });
 * if (!answer.ok) throw "error" in answer ? new ApiError(answer.error.code) : failureError(answer.failure);
 */
import type { Connection } from "../db/connections";
import type { Bindings } from "../env";
import type { ErrorCode } from "../errors";
import type { RefreshFailure } from "./refresh-failure";
import type { ConnectionRefresher } from "./refresher";

export interface RefreshTarget {
	providerConfigKey: string;
	connectionId: string;
	/** refresh even when the token is fresh (`force_refresh=true`) */
	force: boolean;
	/**
	 * with `force`: the token a provider just refused (a proxied call's 401). The refresh happens
	 * only while the connection still holds that token: one that another caller's refresh already
	 * replaced is answered as it is, so a burst of 401s makes one refresh, whatever their timing.
	 */
	refused?: string;
}

export type RefreshAnswer =
	| { ok: true; connection: Connection }
	| { ok: false; failure: RefreshFailure }
	/** something threw (D1 down, a secret that does not open): its code, as the API would answer it */
	| { ok: false; error: { code: ErrorCode; message: string } };

/** The refresher of one connection: the name is unambiguous whatever the ids contain. */
export function refresherOf(
	env: Bindings,
	providerConfigKey: string,
	connectionId: string,
): DurableObjectStub<ConnectionRefresher> {
	const namespace = env.CONNECTION_REFRESHER;
	const name = JSON.stringify(["connection", providerConfigKey, connectionId]);
	// Deriving an id hashes the name; a busy connection's reads should not pay that every time.
	let id = ids.get(name);
	if (!id) {
		id = namespace.idFromName(name);
		if (ids.size >= MAX_IDS) ids.clear();
		ids.set(name, id);
	}
	return namespace.get(id);
}

const MAX_IDS = 2_000;
const ids = new Map<string, DurableObjectId>();

export function askRefresher(env: Bindings, target: RefreshTarget): Promise<RefreshAnswer> {
	// Rpc's types drop answers holding `unknown` (not provably serializable); a connection is
	// parsed JSON, which structured clone carries whole.
	return refresherOf(env, target.providerConfigKey, target.connectionId).refresh(target);
}

/** A read through the connection's object (its served copy when warm). */
export function readThroughRefresher(env: Bindings, target: RefreshTarget): Promise<RefreshAnswer> {
	return refresherOf(env, target.providerConfigKey, target.connectionId).read(target);
}
