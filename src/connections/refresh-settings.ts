/**
 * The operator's settings for background refresh and failure accounting
 * (docs/background-refresh.md), read from the worker's vars with their defaults.
 */
import type { Bindings } from "../env";

/** A refresh token unused this long is used by the cron, so it does not die of disuse. */
export const DEFAULT_IDLE_HOURS = 24;
/** Connections one cron run refreshes at most: well inside a Worker invocation's subrequest limit. */
export const DEFAULT_BATCH = 25;
export const DEFAULT_MAX_FAILURES = 5;

export function refreshIdleMs(env: Bindings): number {
	return positive(env.NANGO_REFRESH_IDLE_HOURS, DEFAULT_IDLE_HOURS, 24 * 365) * 3600_000;
}

export function refreshBatch(env: Bindings): number {
	return Math.floor(positive(env.NANGO_REFRESH_BATCH, DEFAULT_BATCH, 500));
}

export function maxRefreshFailures(env: Bindings): number {
	return Math.floor(positive(env.NANGO_REFRESH_MAX_FAILURES, DEFAULT_MAX_FAILURES, 1000));
}

function positive(value: string | undefined, fallback: number, max: number): number {
	const number = value === undefined || value.trim() === "" ? fallback : Number(value);
	return Number.isFinite(number) && number > 0 ? Math.min(number, max) : fallback;
}
