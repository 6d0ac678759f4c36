/**
 * The isolate's memory of connections it has read (docs/flows.md#token-caches): for a few seconds
 * the connection itself, so a busy backend's `getToken()` is answered without any I/O; for a few
 * minutes a note that the connection is busy here, so the next read goes to its Durable Object
 * (warm, in memory) rather than to D1.
 *
 * Memory only, never storage; bounded in size; an entry is never served past the moment its
 * token needs a refresh, and `force_refresh` never reads it. A delete, a re-authorization or a
 * refresh made in this isolate replaces or drops the entry at once; other isolates see it within
 * the serve TTL.
 *
 * Hand-written: a Map kept in insertion order is a small first-in-first-out cache, and no cache
 * library knows the refresh margin.
 */
import type { Connection } from "../db/connections";
import { refreshDueAt } from "./freshness";
import { expirationBuffer } from "./template";

/** Default serve TTL; NANGO_TOKEN_CACHE_SECONDS changes it (0: never serve from memory). */
export const DEFAULT_SERVE_SECONDS = 10;
/** How long a read marks a connection as busy in this isolate. */
const BUSY_MS = 5 * 60_000;
/** Entries at most: a connection object is a few KB, so this stays within a few MB. */
const MAX_ENTRIES = 2_000;

interface Entry {
	connection: Connection | undefined;
	/** when it was remembered, and until when it may be served */
	since: number;
	serveUntil: number;
	busyUntil: number;
	/** a renewal is on its way (at most one per entry) */
	renewing: boolean;
}

/**
 * `renew`: the entry is in the last part of its serve time and this read is the one to fetch a
 * newer copy in the background, so a busy connection never falls out of memory (it is still
 * never served past `serveUntil`).
 */
export type CacheLookup = { connection: Connection; renew: boolean } | { busy: true } | undefined;

/** Renewal starts once this share of the serve time has passed. */
const RENEW_AFTER = 0.7;

const entries = new Map<string, Entry>();
/** Counts forgets: a read that began before one must not remember what it read. */
let generation = 0;

export const tokenCache = {
	/** The connection while it may be served; else whether it is busy here; else nothing. */
	get(providerConfigKey: string, connectionId: string, now = Date.now()): CacheLookup {
		const key = cacheKey(providerConfigKey, connectionId);
		const entry = entries.get(key);
		if (!entry) return undefined;
		if (entry.connection && entry.serveUntil > now) {
			const renew = !entry.renewing && now - entry.since >= (entry.serveUntil - entry.since) * RENEW_AFTER;
			if (renew) entry.renewing = true;
			return { connection: entry.connection, renew };
		}
		if (entry.busyUntil > now) return { busy: true };
		entries.delete(key);
		return undefined;
	},

	/**
	 * Remembers a connection read since `mark()` answered `since`. A token already due for a
	 * refresh (served while the provider fails) is not served from here: it only marks the
	 * connection busy.
	 */
	set(connection: Connection, serveSeconds: number, since: number, now = Date.now()): void {
		// A delete or a new authorization happened here while this was being read.
		if (since !== generation) return;
		const key = cacheKey(connection.providerConfigKey, connection.connectionId);
		const due = refreshDueAt(connection, expirationBuffer(connection));
		const serveUntil = Math.min(now + serveSeconds * 1000, due ?? Number.POSITIVE_INFINITY);
		entries.delete(key);
		entries.set(key, {
			connection: serveUntil > now ? connection : undefined,
			since: now,
			serveUntil,
			busyUntil: now + BUSY_MS,
			renewing: false,
		});
		if (entries.size > MAX_ENTRIES) {
			// The oldest insertion goes first: Map iterates in insertion order.
			const oldest = entries.keys().next().value;
			if (oldest !== undefined) entries.delete(oldest);
		}
	},

	/** Drops a connection (deleted or re-authorized here). */
	forget(providerConfigKey: string, connectionId: string): void {
		generation += 1;
		entries.delete(cacheKey(providerConfigKey, connectionId));
	},

	/** Taken before a read; `set` remembers its result only if nothing was forgotten meanwhile. */
	mark(): number {
		return generation;
	},

	/** Drops every connection of a config (the config was deleted or changed here). */
	forgetConfig(providerConfigKey: string): void {
		generation += 1;
		const prefix = cacheKey(providerConfigKey, "");
		for (const key of entries.keys()) if (key.startsWith(prefix)) entries.delete(key);
	},

	/** Test hook: as a fresh isolate. */
	clear(): void {
		generation += 1;
		entries.clear();
	},
};

/** The serve TTL this worker is configured with (docs/flows.md#token-caches). */
export function serveSeconds(value: string | undefined): number {
	const seconds = value === undefined || value.trim() === "" ? DEFAULT_SERVE_SECONDS : Number(value);
	return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 300) : DEFAULT_SERVE_SECONDS;
}

// A config key never holds NUL, so the pair is unambiguous.
const cacheKey = (providerConfigKey: string, connectionId: string) =>
	`${providerConfigKey}\u0000${connectionId}`;
