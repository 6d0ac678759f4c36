/**
 * The Durable Object that refreshes one connection's tokens (docs/flows.md#one-writer-per-connection): one instance per
 * connection, the only writer of refreshed credentials, so exactly one refresh runs at a time
 * across every isolate and machine. It also serves reads of a busy connection from memory
 * (`served-copy.ts`) so they need no D1 query (docs/flows.md#token-caches).
 *
 * A Durable Object does not serialize across awaited I/O (its input gate opens during fetch and
 * D1 calls), so concurrency is explicit: callers share the round in flight, which re-reads D1
 * first, refreshes only when the token is still stale, and stores the result before answering.
 *
 * Callers reach it through `refresher-client.ts`.
 */
import { DurableObject } from "cloudflare:workers";
import { canRefresh } from "../auth-modes/registry";
import { type Keyring, keyringFrom } from "../crypto/cipher";
import { type Db, database } from "../db/client";
import { type Connection, getConnection } from "../db/connections";
import {
	type FailureCount,
	type Generation,
	openRefreshed,
	saveRefreshFailure,
	sealRefreshed,
} from "../db/credential-writes";
import type { Bindings } from "../env";
import { ApiError } from "../errors";
import { asApiError } from "../known-errors";
import type { AuthEventInput } from "../webhooks/event";
import { queueAuthWebhook } from "../webhooks/outbox";
import { bearerTokenOf, type Credentials } from "./credentials";
import { isExpired, needsRefresh } from "./freshness";
import { type Pending, PendingCredentials } from "./pending";
import { describeFailure, type RefreshFailure } from "./refresh-failure";
import { maxRefreshFailures } from "./refresh-settings";
import type { RefreshAnswer, RefreshTarget } from "./refresher-client";
import { renewCredentials } from "./renewal";
import { ServedCopy } from "./served-copy";
import { expirationBuffer } from "./template";

/**
 * What one round found, for each kind of caller: one that forced the refresh asked for a new
 * token, one that merely needed a fresher token still takes the valid one it had
 * (docs/flows.md#refresh-failures). Every caller sharing the round gets the answer for its kind.
 */
interface Outcome {
	forced: RefreshAnswer;
	unforced: RefreshAnswer;
}

/** After `invalid_grant`, the provider is not asked again for this long (docs/flows.md#refresh-failures). */
export const REJECTION_COOLDOWN_MS = 30_000;
/** A failed D1 write of refreshed credentials is retried by alarm after this long. */
const WRITE_RETRY_MS = 2_000;

interface Round {
	force: boolean;
	/** set once the round has decided to call the provider */
	progress: { refreshing: boolean };
	outcome: Promise<Outcome>;
}

export class ConnectionRefresher extends DurableObject<Bindings> {
	#round: Round | undefined;
	#flushing: Promise<void> | undefined;
	readonly #pending = new PendingCredentials(this.ctx.storage);
	readonly #copy = new ServedCopy();

	/**
	 * A read of a busy connection: from memory when the copy is recent and its token fresh, else
	 * as `refresh` (which re-reads D1 and refreshes when due). `force` always goes to the round.
	 */
	async read(target: RefreshTarget): Promise<RefreshAnswer> {
		if (!target.force && !this.#round) {
			const copy = this.#copy.servable(Date.now());
			if (copy) return { ok: true, connection: copy };
		}
		return this.refresh(target);
	}

	/** Drops the served copy: the connection was deleted or authorized again elsewhere. */
	forget(): void {
		this.#copy.drop();
	}

	/** The connection with a fresh token, or why there is none. Concurrent callers share one refresh. */
	async refresh(target: RefreshTarget): Promise<RefreshAnswer> {
		try {
			const outcome = await this.#join(target);
			const answer = target.force ? outcome.forced : outcome.unforced;
			if (answer.ok) this.#copy.keep(answer.connection, Date.now());
			else this.#copy.drop();
			return answer;
		} catch (error) {
			// Thrown past here it would reach the caller as a plain Error, its code lost.
			const known = asApiError(error);
			if (!known) console.error(`refresh: unexpected ${error instanceof Error ? error.name : "error"}`);
			const { code, message } = known ?? new ApiError("internal_error");
			return { ok: false, error: { code, message } };
		}
	}

	/** Retries writing credentials a failed D1 write left in this object's storage. */
	override async alarm(): Promise<void> {
		// A round flushes first itself, and re-arms the alarm when D1 still fails.
		while (this.#round) await this.#round.outcome.catch(() => undefined);
		await this.#flush(database(this.env.DB));
	}

	/** The round in flight when it serves `target`, else a new one. */
	async #join(target: RefreshTarget): Promise<Outcome> {
		for (let round = this.#round; round; round = this.#round) {
			if (!target.force || round.force || round.progress.refreshing) return round.outcome;
			// A forced read that arrives during a mere re-check waits for it, then refreshes.
			await round.outcome.catch(() => undefined);
		}
		const progress = { refreshing: false };
		const round: Round = {
			// A conditional force (a refused token) may end without refreshing: an unconditional
			// one does not count on it.
			force: target.force && target.refused === undefined,
			progress,
			outcome: this.#run(target, progress).finally(() => {
				if (this.#round === round) this.#round = undefined;
			}),
		};
		this.#round = round;
		return round.outcome;
	}

	async #run(target: RefreshTarget, progress: { refreshing: boolean }): Promise<Outcome> {
		const db = database(this.env.DB);
		const keyring = await keyringFrom(this.env);
		// Credentials a failed write left behind go to D1 before anything else.
		await this.#flush(db);
		const row = await getConnection(db, keyring, target.providerConfigKey, target.connectionId);
		if (!row) return both({ ok: false, failure: { ok: false, reason: "gone" } });
		const current = await this.#withPending(keyring, row);
		// Re-check against what D1 holds now: another caller may just have refreshed.
		const now = Date.now();
		if (!canRefresh(current.credentials)) return both({ ok: true, connection: current });
		// Exhausted: only a forced refresh (or a new authorization) tries the provider again.
		if (!target.force && current.refreshExhausted) return both(exhaustedAnswer());
		const cooldownEnd = rejectionCooldownEnd(current);
		if (cooldownEnd > now) {
			return both({
				ok: false,
				failure: { ok: false, reason: "cooling_down", retryAt: new Date(cooldownEnd).toISOString() },
			});
		}
		if (!target.force && !needsRefresh(current, expirationBuffer(current), now)) {
			return both({ ok: true, connection: current });
		}
		// Refused token already replaced (another caller's refresh): nothing to refresh.
		if (target.refused !== undefined && bearerTokenOf(current.credentials) !== target.refused) {
			return both({ ok: true, connection: current });
		}
		progress.refreshing = true;
		const from: Generation = { id: row.id, issuedAt: row.credentialsIssuedAt };
		const result = await renewCredentials(db, keyring, current, now);
		if (!result.ok) return this.#failed(db, current, from, result);
		return both(await this.#store(db, keyring, current, from, result.credentials, result.metadata, now));
	}

	/** Keeps the new credentials here, then in D1, and only then hands them out. */
	async #store(
		db: Db,
		keyring: Keyring,
		current: Connection,
		from: Generation,
		credentials: Credentials,
		tokenMetadata: Record<string, unknown>,
		now: number,
	): Promise<RefreshAnswer> {
		// Strictly after the generation it replaces, even within one millisecond.
		const issuedAt = Math.max(now, (current.credentialsIssuedAt ?? 0) + 1);
		const metadata = { ...current.metadata, ...tokenMetadata };
		const refreshed = await sealRefreshed(keyring, current, credentials, issuedAt, metadata);
		const place = { providerConfigKey: current.providerConfigKey, connectionId: current.connectionId };
		const pending: Pending = { rowId: from.id, fromIssuedAt: from.issuedAt, refreshed, place };
		const written = await this.#pending.store(db, pending, WRITE_RETRY_MS);
		if (written === "obsolete") {
			// Deleted (answer so) or re-authorized meanwhile (answer the new authorization).
			const latest = await getConnection(db, keyring, current.providerConfigKey, current.connectionId);
			return latest
				? { ok: true, connection: latest }
				: { ok: false, failure: { ok: false, reason: "gone" } };
		}
		// "saved", or "kept" here until D1 takes them: either way they are durable.
		if (current.refreshFailures > 0) await queueAuthWebhook(this.env, refreshEvent(current));
		const connection: Connection = {
			...current,
			credentials,
			credentialsIssuedAt: issuedAt,
			metadata,
			needsReauth: false,
			lastRefreshError: null,
			refreshFailures: 0,
			refreshExhausted: false,
			updatedAt: new Date(now).toISOString(),
		};
		return { ok: true, connection };
	}

	async #failed(db: Db, current: Connection, from: Generation, failure: RefreshFailure): Promise<Outcome> {
		if (failure.reason === "gone") return both({ ok: false, failure });
		const { code, message } = describeFailure(failure);
		const rejected = code === "refresh_token_rejected";
		const error = { code, message, at: new Date().toISOString() };
		let count: FailureCount | undefined;
		try {
			// Visible in the connection object; after `invalid_grant` it also starts the cooldown.
			const needsReauth = rejected || current.needsReauth;
			count = await saveRefreshFailure(db, from, error, needsReauth, maxRefreshFailures(this.env));
		} catch (cause) {
			console.error(`refresh: recording a failure failed (${cause instanceof Error ? cause.name : "error"})`);
		}
		// The app hears of the first failure of a run of them (docs/webhooks.md#events).
		if (count?.failures === 1) await queueAuthWebhook(this.env, refreshEvent(current, { code, message }));
		// A still-valid token outlives a provider outage (docs/flows.md#refresh-failures); a dead refresh token does not,
		// and a forced refresh asked for a new token, not the old one.
		const failed: RefreshAnswer = { ok: false, failure };
		if (count?.exhausted) return { forced: failed, unforced: exhaustedAnswer() };
		const stillValid = !rejected && !isExpired(current, Date.now());
		return {
			forced: failed,
			unforced: stillValid ? { ok: true, connection: { ...current, lastRefreshError: error } } : failed,
		};
	}

	/** The row with the credentials this object still holds for it, when D1 has not taken them yet. */
	async #withPending(keyring: Keyring, row: Connection): Promise<Connection> {
		const pending = await this.#pending.get();
		if (!pending || pending.rowId !== row.id || pending.fromIssuedAt !== row.credentialsIssuedAt) return row;
		return {
			...row,
			credentials: await openRefreshed(keyring, row, pending.refreshed),
			credentialsIssuedAt: pending.refreshed.issuedAt,
			metadata: pending.refreshed.metadata,
			needsReauth: false,
			lastRefreshError: null,
		};
	}

	/** Writes kept credentials to D1; concurrent callers (a round, the alarm) share one attempt. */
	#flush(db: Db): Promise<void> {
		this.#flushing ??= (async () => {
			// Re-sealed under the current key first: key rotation cannot reach this storage.
			const pending = await this.#pending.resealed(this.env);
			if (pending) await this.#pending.save(db, pending, WRITE_RETRY_MS);
		})().finally(() => {
			this.#flushing = undefined;
		});
		return this.#flushing;
	}
}

/** When the cooldown after a rejected refresh token ends (epoch ms); 0 when there is none. */
function rejectionCooldownEnd(connection: Connection): number {
	const error = connection.lastRefreshError;
	if (!connection.needsReauth || error?.code !== "refresh_token_rejected") return 0;
	const at = Date.parse(error.at);
	return Number.isNaN(at) ? 0 : at + REJECTION_COOLDOWN_MS;
}

/** Reads of an exhausted connection (docs/background-refresh.md#failures). */
function exhaustedAnswer(): RefreshAnswer {
	const { code, message } = new ApiError("refresh_exhausted");
	return { ok: false, error: { code, message } };
}

/** The `refresh` auth webhook of a connection: a failure with its error, or the recovery after one. */
function refreshEvent(connection: Connection, error?: { code: string; message: string }): AuthEventInput {
	return {
		providerConfigKey: connection.providerConfigKey,
		connectionId: connection.connectionId,
		authMode: connection.credentials.type,
		provider: connection.provider,
		operation: "refresh",
		endUser: connection.endUser,
		tags: connection.tags,
		...(error ? { error } : {}),
	};
}

/** The same answer for every caller of a round. */
function both(answer: RefreshAnswer): Outcome {
	return { forced: answer, unforced: answer };
}
