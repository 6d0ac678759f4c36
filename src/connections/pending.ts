/**
 * Refreshed credentials the refresher holds in its own storage until D1 has them (docs/flows.md#never-losing-a-token, never
 * lose a token): with rotating refresh tokens the old one dies the moment the provider answers,
 * so the answer is kept, sealed, before D1 is written, and written again after a failed write.
 * Only ever written to D1 as an update of the row and generation it was refreshed from: a row
 * deleted or re-authorized meanwhile makes it obsolete, never resurrects or overwrites anything.
 *
 * Key rotation cannot reach this storage from D1, so whoever takes held credentials out to retry
 * them (`resealed`) first re-seals them under the current key (docs/storage-schema.md#encryption).
 */
import { type KeySecrets, keyringFrom } from "../crypto/cipher";
import type { Db } from "../db/client";
import { credentialsAad } from "../db/connections";
import { type RefreshedCredentials, saveRefreshedCredentials } from "../db/credential-writes";

export interface Pending {
	/** the D1 row and the credentials generation the refresh started from */
	rowId: number;
	fromIssuedAt: number | null;
	refreshed: RefreshedCredentials;
	/** failed D1 writes so far: the alarm backs off */
	failures?: number;
	/** the connection the credentials are sealed for; absent in entries kept before rotation reached here */
	place?: { providerConfigKey: string; connectionId: string };
}

/** "saved": D1 has them; "obsolete": the row was deleted or re-authorized; "kept": D1 failed. */
export type WriteResult = "saved" | "obsolete" | "kept";

const KEY = "pending";
const MAX_RETRY_MS = 5 * 60_000;

export class PendingCredentials {
	readonly #storage: DurableObjectStorage;

	constructor(storage: DurableObjectStorage) {
		this.#storage = storage;
	}

	get(): Promise<Pending | undefined> {
		return this.#storage.get<Pending>(KEY);
	}

	/**
	 * The held credentials, re-sealed under the current key first when an older key sealed them,
	 * so they reach D1 (and this storage) under a key rotation keeps. Best effort: credentials
	 * that cannot be re-sealed are still written as they are, never lost.
	 */
	async resealed(secrets: KeySecrets): Promise<Pending | undefined> {
		const pending = await this.get();
		if (!pending?.place) return pending;
		const additional = credentialsAad(pending.place.providerConfigKey, pending.place.connectionId);
		let sealed: string;
		try {
			const keyring = await keyringFrom(secrets);
			if (!keyring.isStale(pending.refreshed.sealed)) return pending;
			sealed = await keyring.seal(await keyring.open(pending.refreshed.sealed, additional), additional);
		} catch (error) {
			console.error(
				`refresh: re-sealing kept credentials failed (${error instanceof Error ? error.name : "error"})`,
			);
			return pending;
		}
		const current: Pending = { ...pending, refreshed: { ...pending.refreshed, sealed } };
		if (await this.#isKept(pending)) await this.#storage.put(KEY, current);
		return current;
	}

	/** Keeps `pending` here, then writes it to D1. */
	async store(db: Db, pending: Pending, retryInMs: number): Promise<WriteResult> {
		await this.#storage.put(KEY, pending);
		return this.save(db, pending, retryInMs);
	}

	/** Writes kept credentials to D1; a failed write stays kept and an alarm retries it, backing off. */
	async save(db: Db, pending: Pending, retryInMs: number): Promise<WriteResult> {
		let saved: boolean;
		try {
			saved = await saveRefreshedCredentials(
				db,
				{ id: pending.rowId, issuedAt: pending.fromIssuedAt },
				pending.refreshed,
			);
		} catch (error) {
			// Name only: a storage error's message may quote the statement's data.
			console.error(
				`refresh: D1 write failed (${error instanceof Error ? error.name : "error"}); credentials kept`,
			);
			const failures = (pending.failures ?? 0) + 1;
			if (await this.#isKept(pending)) await this.#storage.put(KEY, { ...pending, failures });
			await this.#storage.setAlarm(Date.now() + Math.min(retryInMs * 2 ** (failures - 1), MAX_RETRY_MS));
			return "kept";
		}
		// Only what was written: a newer refresh may have replaced it meanwhile.
		if (await this.#isKept(pending)) await this.#storage.delete(KEY);
		return saved ? "saved" : "obsolete";
	}

	async #isKept(pending: Pending): Promise<boolean> {
		return (await this.get())?.refreshed.issuedAt === pending.refreshed.issuedAt;
	}
}
