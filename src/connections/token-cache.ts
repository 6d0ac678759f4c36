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
 * Hand-written: a Map kept in insertion order is a small LRU, and no cache library knows the
 * refresh margin.
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
	serveUntil: number;
	busyUntil: number;
}

export type CacheLookup = { connection: Connection } | { busy: true } | undefined;

const entries = new Map<string, Entry>();

export const tokenCache = {
	/** The connection while it may be served; else whether it is busy here; else nothing. */
	get(providerConfigKey: string, connectionId: string, now = Date.now()): CacheLookup {
		const key = cacheKey(providerConfigKey, connectionId);
		const entry = entries.get(key);
		if (!entry) return undefined;
		if (entry.connection && entry.serveUntil > now) return { connection: entry.connection };
		if (entry.busyUntil > now) return { busy: true };
		entries.delete(key);
		return undefined;
	},

	/**
	 * Remembers a connection just read or written. `serve` is false for an answer that must not
	 * be repeated (a valid token served during a provider outage): it is then only marked busy.
	 */
	set(connection: Connection, serveSeconds: number, serve = true, now = Date.now()): void {
		const key = cacheKey(connection.providerConfigKey, connection.connectionId);
		const due = refreshDueAt(connection, expirationBuffer(connection));
		const serveUntil = serve ? Math.min(now + serveSeconds * 1000, due ?? Number.POSITIVE_INFINITY) : 0;
		entries.delete(key);
		entries.set(key, {
			connection: serveUntil > now ? connection : undefined,
			serveUntil,
			busyUntil: now + BUSY_MS,
		});
		if (entries.size > MAX_ENTRIES) {
			// The oldest insertion goes first: Map iterates in insertion order.
			const oldest = entries.keys().next().value;
			if (oldest !== undefined) entries.delete(oldest);
		}
	},

	/** Drops a connection (deleted or re-authorized here). */
	forget(providerConfigKey: string, connectionId: string): void {
		entries.delete(cacheKey(providerConfigKey, connectionId));
	},

	/** Drops every connection of a config (the config was deleted or changed here). */
	forgetConfig(providerConfigKey: string): void {
		const prefix = cacheKey(providerConfigKey, "");
		for (const key of entries.keys()) if (key.startsWith(prefix)) entries.delete(key);
	},

	/** Test hook: as a fresh isolate. */
	clear(): void {
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
