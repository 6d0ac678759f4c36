/**
 * When a proxied call is tried again (docs/proxy.md#retries): `Retries: n` (0-10) extra attempts
 * after a 429, a 5xx or a status listed in `Retry-On`, each after the wait the provider asks for
 * (the template's rate-limit header, else `Retry-After`), else exponential backoff with jitter;
 * no wait is longer than `MAX_WAIT_MS`.
 */
import type { ProxyFields } from "../providers/template";

export const MAX_RETRIES = 10;
/** The longest single wait: a provider asking for more gets its answer back instead of a hung call. */
export const MAX_WAIT_MS = 10_000;
/** The first backoff step; doubled on each attempt. */
const BACKOFF_BASE_MS = 200;

export interface RetryPolicy {
	retries: number;
	/** statuses retried besides 429 and 5xx */
	on: ReadonlySet<number>;
}

/** The policy from the caller's headers, or undefined when one of them is malformed. */
export function retryPolicy(retries: string | null, retryOn: string | null): RetryPolicy | undefined {
	let count = 0;
	if (retries !== null && retries.trim() !== "") {
		if (!/^\d{1,2}$/.test(retries.trim())) return undefined;
		count = Number(retries.trim());
		if (count > MAX_RETRIES) return undefined;
	}
	const on = new Set<number>();
	for (const item of (retryOn ?? "").split(",")) {
		const text = item.trim();
		if (text === "") continue;
		if (!/^[1-5]\d\d$/.test(text)) return undefined;
		on.add(Number(text));
	}
	return { retries: count, on };
}

export function isRetryable(status: number, policy: RetryPolicy): boolean {
	return status === 429 || status >= 500 || policy.on.has(status);
}

/** How long to wait before attempt `attempt + 1` (the first retry is attempt 0), in ms. */
export function retryWait(
	headers: Headers,
	fields: ProxyFields["retry"] | undefined,
	attempt: number,
	now: number,
	random: () => number = Math.random,
): number {
	const asked = askedWait(headers, fields, now);
	if (asked !== undefined) return Math.min(MAX_WAIT_MS, Math.max(0, asked));
	// Jitter spreads the retries of many callers hit by the same outage.
	const step = Math.min(MAX_WAIT_MS, BACKOFF_BASE_MS * 2 ** attempt);
	return Math.round(step / 2 + (random() * step) / 2);
}

function askedWait(
	headers: Headers,
	fields: ProxyFields["retry"] | undefined,
	now: number,
): number | undefined {
	if (fields?.after) {
		const seconds = Number(headers.get(fields.after) ?? Number.NaN);
		if (Number.isFinite(seconds)) return seconds * 1000;
	}
	if (fields?.at) {
		const at = resetTime(headers.get(fields.at));
		if (at !== undefined) return at - now;
	}
	// RFC 9110 §10.2.3: delay-seconds or an HTTP-date.
	const retryAfter = headers.get("retry-after")?.trim();
	if (!retryAfter) return undefined;
	if (/^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
	const date = Date.parse(retryAfter);
	return Number.isNaN(date) ? undefined : date - now;
}

/** A reset header: epoch seconds (GitHub's `x-ratelimit-reset`) or a date. */
function resetTime(value: string | null): number | undefined {
	const text = value?.trim();
	if (!text) return undefined;
	if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : date;
}
