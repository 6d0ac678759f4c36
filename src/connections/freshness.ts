/**
 * When an access token needs refreshing (docs/flows.md#refresh-margin): a refresh token exists and the expiry is
 * within the margin, or past. The margin is the template's `token_expiration_buffer` (default
 * 15 min) but never more than half the token's lifetime: a 10-minute token refreshes at 5 minutes
 * left, not on every read.
 *
 * @example
 * if (!forceRefresh && !needsRefresh(connection, template, Date.now())) return connection;
 */
import { canRefresh, expiresAt as credentialsExpiry } from "../auth-modes/registry";
import type { Connection } from "../db/connections";
import type { ProviderTemplate } from "../providers/template";

export const DEFAULT_BUFFER_SECONDS = 900;

type Refreshable = Pick<Connection, "credentials" | "credentialsIssuedAt">;

/** Milliseconds before expiry at which a token counts as stale. */
export function refreshMarginMs(
	template: Pick<ProviderTemplate, "token_expiration_buffer"> | undefined,
	lifetimeMs: number | undefined,
): number {
	const buffer = (template?.token_expiration_buffer ?? DEFAULT_BUFFER_SECONDS) * 1000;
	return lifetimeMs === undefined ? buffer : Math.min(buffer, Math.max(0, lifetimeMs / 2));
}

export function needsRefresh(
	connection: Refreshable,
	template: Pick<ProviderTemplate, "token_expiration_buffer"> | undefined,
	now: number,
): boolean {
	const due = refreshDueAt(connection, template);
	return due !== undefined && due <= now;
}

/** When the token starts to need a refresh (epoch ms); undefined when it never does. */
export function refreshDueAt(
	connection: Refreshable,
	template: Pick<ProviderTemplate, "token_expiration_buffer"> | undefined,
): number | undefined {
	const expiresAt = credentialsExpiry(connection.credentials);
	// No known expiry: the token is taken to live until the provider says otherwise (docs/flows.md#refresh-margin).
	if (!canRefresh(connection.credentials) || expiresAt === undefined) return undefined;
	const issuedAt = connection.credentialsIssuedAt;
	// Imported credentials have no known issue time, so no known lifetime: the full buffer applies.
	const lifetime = issuedAt === null ? undefined : expiresAt - issuedAt;
	return expiresAt - refreshMarginMs(template, lifetime);
}

/** After a transient refresh failure, a still-valid token is served this long without retrying. */
export const TRANSIENT_RETRY_MS = 10_000;

/**
 * True while the last refresh failed for a transient reason (provider down, timeout, bad answer)
 * less than TRANSIENT_RETRY_MS ago and the stored token is still valid: reads then serve it
 * instead of asking an unwell provider again on every call.
 */
export function inRetryBackoff(
	connection: Pick<Connection, "credentials" | "lastRefreshError" | "needsReauth">,
	now: number,
): boolean {
	const error = connection.lastRefreshError;
	if (!error || connection.needsReauth || isExpired(connection, now)) return false;
	const at = Date.parse(error.at);
	return !Number.isNaN(at) && now - at < TRANSIENT_RETRY_MS;
}

/** True once the access token's expiry has passed; a token without expiry never expires. */
export function isExpired(connection: Pick<Connection, "credentials">, now: number): boolean {
	const expiresAt = credentialsExpiry(connection.credentials);
	return expiresAt !== undefined && expiresAt <= now;
}
