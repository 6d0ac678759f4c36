/**
 * Key rotation (docs/api.md#key-rotation): re-seals under the current key the stored secrets an
 * older key sealed, one bounded page per call, so a large table makes progress call by call and
 * no call holds more than a page in memory. Each page is written before the call answers.
 *
 * Each update is conditional on the ciphertext it replaces, so a row rewritten meanwhile (a
 * refresh, a re-authorization, a flow's callback taking its session) is left alone rather than
 * overwritten with stale data, and is not counted: the counts are D1's rows changed.
 *
 * @example
 * let page: RotationPage;
 * do page = await resealPage(db, keyring); while (!page.done);
 */
import { and, asc, eq, gt, lte, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Keyring } from "../crypto/cipher";
import type { Db } from "./client";
import { configSecretAad } from "./configs";
import { credentialsAad } from "./connections";
import { configs, connections, oauthSessions } from "./schema";
import { sessionAad } from "./sessions";

/** At most this many stale rows of each table are re-sealed by one call (docs/api.md#key-rotation). */
export const ROTATION_PAGE_SIZE = 100;
/** D1 limits a batch; each chunk is atomic, and the next call finishes what a failure left. */
const BATCH_SIZE = 50;

export interface RotationPage {
	/** rows actually changed, per table */
	configs: number;
	connections: number;
	sessions: number;
	kid: string;
	/** every table had fewer stale rows than a page and each of them was re-sealed: nothing is left */
	done: boolean;
}

/** What rotation uses of the keyring (a test watches it to change a row mid-page). */
export type RotationKeyring = Pick<Keyring, "currentKid" | "currentPrefix" | "isStale" | "open" | "seal">;

type Statement = Parameters<Db["batch"]>[0][number];

/** One table's page: the stale rows read, and the conditional updates that re-seal them. */
interface TablePage {
	read: number;
	updates: Statement[];
}

export async function resealPage(
	db: Db,
	keyring: RotationKeyring,
	now = Date.now(),
	size = ROTATION_PAGE_SIZE,
): Promise<RotationPage> {
	const tables = {
		configs: await configsPage(db, keyring, size),
		connections: await connectionsPage(db, keyring, size),
		sessions: await sessionsPage(db, keyring, size, now),
	};
	const changed = {
		configs: await write(db, tables.configs.updates),
		connections: await write(db, tables.connections.updates),
		sessions: await write(db, tables.sessions.updates),
	};
	const done = Object.entries(tables).every(
		([name, page]) => page.read < size && changed[name as keyof typeof changed] === page.read,
	);
	return { ...changed, kid: keyring.currentKid, done };
}

/** True when the envelope in `column` was not sealed by the current key, decided in SQL. */
function stale(column: SQLiteColumn, keyring: RotationKeyring): SQL {
	const prefix = keyring.currentPrefix;
	return sql`substr(${column}, 1, ${prefix.length}) <> ${prefix}`;
}

async function configsPage(db: Db, keyring: RotationKeyring, size: number): Promise<TablePage> {
	const rows = await db
		.select({ id: configs.id, uniqueKey: configs.uniqueKey, sealed: configs.oauthClientSecret })
		.from(configs)
		.where(stale(configs.oauthClientSecret, keyring))
		.orderBy(asc(configs.id))
		.limit(size);
	const updates: Statement[] = [];
	for (const row of rows) {
		const resealed = await reseal(keyring, row.sealed, configSecretAad(row.uniqueKey));
		updates.push(
			db
				.update(configs)
				.set({ oauthClientSecret: resealed })
				.where(and(eq(configs.id, row.id), eq(configs.oauthClientSecret, row.sealed))),
		);
	}
	return { read: rows.length, updates };
}

async function connectionsPage(db: Db, keyring: RotationKeyring, size: number): Promise<TablePage> {
	const rows = await db
		.select({
			id: connections.id,
			providerConfigKey: connections.providerConfigKey,
			connectionId: connections.connectionId,
			sealed: connections.credentials,
		})
		.from(connections)
		.where(stale(connections.credentials, keyring))
		.orderBy(asc(connections.id))
		.limit(size);
	const updates: Statement[] = [];
	for (const row of rows) {
		const additional = credentialsAad(row.providerConfigKey, row.connectionId);
		const resealed = await reseal(keyring, row.sealed, additional);
		updates.push(
			db
				.update(connections)
				.set({ credentials: resealed })
				.where(and(eq(connections.id, row.id), eq(connections.credentials, row.sealed))),
		);
	}
	return { read: rows.length, updates };
}

/**
 * Flow sessions in progress: a flow started before the rotation must still finish after the old
 * key is removed. Expired ones are refused at the callback anyway, so they are dropped, not re-sealed.
 */
async function sessionsPage(db: Db, keyring: RotationKeyring, size: number, now: number): Promise<TablePage> {
	await db.delete(oauthSessions).where(lte(oauthSessions.expiresAt, now));
	const rows = await db
		.select({
			id: oauthSessions.id,
			providerConfigKey: oauthSessions.providerConfigKey,
			connectionId: oauthSessions.connectionId,
			sealed: oauthSessions.payload,
		})
		.from(oauthSessions)
		.where(and(stale(oauthSessions.payload, keyring), gt(oauthSessions.expiresAt, now)))
		.orderBy(asc(oauthSessions.id))
		.limit(size);
	const updates: Statement[] = [];
	for (const row of rows) {
		const additional = sessionAad(row.id, row.providerConfigKey, row.connectionId);
		const resealed = await reseal(keyring, row.sealed, additional);
		updates.push(
			db
				.update(oauthSessions)
				.set({ payload: resealed })
				.where(and(eq(oauthSessions.id, row.id), eq(oauthSessions.payload, row.sealed))),
		);
	}
	return { read: rows.length, updates };
}

async function reseal(keyring: RotationKeyring, sealed: string, additional: string): Promise<string> {
	return keyring.seal(await keyring.open(sealed, additional), additional);
}

/** Runs the updates in atomic chunks; answers how many rows they changed. */
async function write(db: Db, updates: Statement[]): Promise<number> {
	let changed = 0;
	for (let i = 0; i < updates.length; i += BATCH_SIZE) {
		const [first, ...rest] = updates.slice(i, i + BATCH_SIZE);
		if (!first) continue;
		const results = await db.batch([first, ...rest]);
		for (const result of results) changed += (result as D1Result).meta.changes;
	}
	return changed;
}
