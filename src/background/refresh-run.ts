/**
 * One run of the background refresh (a Cron Trigger, docs/background-refresh.md): the due
 * connections, each refreshed through its own Durable Object (the one writer of its credentials,
 * so a run and a busy app's reads share one provider call), a few at a time, at most a batch per
 * run. The object records each outcome on the connection (failure count, last error, exhaustion)
 * and sends the auth webhooks; the run reports its counts.
 */

import { refreshBatch, refreshIdleMs } from "../connections/refresh-settings";
import { askRefresher } from "../connections/refresher-client";
import { database } from "../db/client";
import { dueConnections } from "../db/refresh-due";
import type { Bindings } from "../env";

/** Tokens expiring within this are refreshed now: the cron runs every 10 minutes (wrangler.toml). */
export const EXPIRING_WITHIN_MS = 15 * 60_000;
/** Refreshes in flight at once: enough to finish a batch in seconds, gentle on providers. */
const PARALLEL = 5;

export interface RunReport {
	picked: number;
	refreshed: number;
	failed: number;
}

export async function refreshInBackground(env: Bindings, now = Date.now()): Promise<RunReport> {
	const due = await dueConnections(database(env.DB), {
		expiringBefore: now + EXPIRING_WITHIN_MS,
		idleBefore: now - refreshIdleMs(env),
		limit: refreshBatch(env),
	});
	const report: RunReport = { picked: due.length, refreshed: 0, failed: 0 };
	let next = 0;
	const worker = async () => {
		for (let item = due[next++]; item; item = due[next++]) {
			try {
				// Forced: an idle refresh token is used even though the access token is still fresh.
				const answer = await askRefresher(env, { ...item, force: true });
				if (answer.ok) report.refreshed += 1;
				else report.failed += 1;
			} catch {
				report.failed += 1;
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(PARALLEL, due.length) }, worker));
	return report;
}
