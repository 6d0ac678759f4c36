/**
 * When an access token needs refreshing (SPEC §6): a refresh token exists and the expiry is
 * within the margin, or past. The margin is the template's `token_expiration_buffer` (default
 * 15 min) but never more than half the token's lifetime: a 10-minute token refreshes at 5 minutes
 * left, not on every read.
 *
 * @example
 * if (!forceRefresh && !needsRefresh(connection, template, Date.now())) return connection;
 */
import type { OAuth2Credentials } from "./credentials";
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

export type RefreshableCredentials = OAuth2Credentials & { refresh_token: string };

/** OAuth2 credentials that hold a refresh token: the only ones a refresh can renew. */
export function refreshableCredentials(
	connection: Pick<Connection, "credentials">,
): RefreshableCredentials | undefined {
	const { credentials } = connection;
	if (credentials.type !== "OAUTH2" || !credentials.refresh_token) return undefined;
	return { ...credentials, refresh_token: credentials.refresh_token };
}

export function needsRefresh(
	connection: Refreshable,
	template: Pick<ProviderTemplate, "token_expiration_buffer"> | undefined,
	now: number,
): boolean {
	const credentials = refreshableCredentials(connection);
	const expiresAt = expiryOf(connection);
	// No known expiry: the token is taken to live until the provider says otherwise (SPEC §6).
	if (!credentials || expiresAt === undefined) return false;
	const issuedAt = connection.credentialsIssuedAt;
	// Imported credentials have no known issue time, so no known lifetime: the full buffer applies.
	const lifetime = issuedAt === null ? undefined : expiresAt - issuedAt;
	return expiresAt - now <= refreshMarginMs(template, lifetime);
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
	const expiresAt = expiryOf(connection);
	return expiresAt !== undefined && expiresAt <= now;
}

function expiryOf(connection: Pick<Connection, "credentials">): number | undefined {
	const { credentials } = connection;
	if (credentials.type !== "OAUTH2" || credentials.expires_at === undefined) return undefined;
	const expiresAt = Date.parse(credentials.expires_at);
	return Number.isNaN(expiresAt) ? undefined : expiresAt;
}
