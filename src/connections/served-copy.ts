/**
 * What a connection's Durable Object serves reads from (docs/flows.md#token-caches): the
 * connection as it last read it from D1 or wrote it after a refresh, in memory (never in its
 * storage), for a few seconds. Writers outside the object (a delete, a new authorization) drop it
 * through `ConnectionRefresher.forget()`; anything else (a config deleted with its connections)
 * is seen once the copy expires.
 */
import type { Connection } from "../db/connections";
import { inRetryBackoff, needsRefresh } from "./freshness";
import { expirationBuffer } from "./template";

/**
 * How long the object serves a copy without reading D1 again. Writes to one connection drop it at
 * once (`forget`); this bounds only what no one tells the object (its config deleted with its
 * connections, a config edited).
 */
export const COPY_TTL_MS = 30_000;

export class ServedCopy {
	#copy: { connection: Connection; until: number } | undefined;

	/** The copy when it may answer a read that does not force a refresh. */
	servable(now: number): Connection | undefined {
		const copy = this.#copy;
		if (!copy || copy.until <= now) return undefined;
		const { connection } = copy;
		if (!needsRefresh(connection, expirationBuffer(connection), now) || inRetryBackoff(connection, now)) {
			return connection;
		}
		return undefined;
	}

	keep(connection: Connection, now: number): void {
		this.#copy = { connection, until: now + COPY_TTL_MS };
	}

	drop(): void {
		this.#copy = undefined;
	}
}
