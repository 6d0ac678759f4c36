/**
 * The bounds an access token's expiry must fit (docs/flows.md#absurd-expiries). A provider's
 * `expires_in` is data, not a promise: `1e19` seconds, `Infinity` or a negative number would
 * overflow `Date` (a RangeError after the provider has already rotated its refresh token) or make
 * nonsense of the refresh margin. Such a lifetime counts as "no known expiry", which the refresh
 * logic already handles: the token is served until the provider rejects it.
 *
 * @example
 * const expiresAt = expiryAfter(Date.now(), expiresInSeconds * 1000); // ISO text or undefined
 */

/** Ten years: longer than any access token a provider documents, far below Date's limit. */
export const MAX_LIFETIME_MS = 10 * 366 * 24 * 3600_000;

/** The expiry `lifetimeMs` after `now` as ISO text; undefined when the lifetime is not believable. */
export function expiryAfter(now: number, lifetimeMs: number): string | undefined {
	if (!Number.isFinite(lifetimeMs) || lifetimeMs <= 0 || lifetimeMs > MAX_LIFETIME_MS) return undefined;
	return new Date(now + lifetimeMs).toISOString();
}

/** True when `ms` (epoch) is a moment `Date` can hold: its ISO text will not throw. */
export function isRepresentable(ms: number): boolean {
	return !Number.isNaN(new Date(ms).getTime());
}
