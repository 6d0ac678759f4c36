/**
 * A connection's credentials, one shape per auth mode: what is sealed into
 * `connections.credentials` and what every connection read answers (docs/api.md#connections).
 * Each mode's behaviour lives in `src/auth-modes/`, one module per name listed here.
 */

/** Every auth mode the worker serves; `src/auth-modes/registry.ts` maps each to its module. */
export const AUTH_MODE_NAMES = ["OAUTH2", "OAUTH1"] as const;

export type AuthModeName = (typeof AUTH_MODE_NAMES)[number];

export interface OAuth2Credentials {
	type: "OAUTH2";
	access_token: string;
	refresh_token?: string;
	/** ISO timestamp; absent when the provider gave no expiry */
	expires_at?: string;
	/** the provider's token response as received */
	raw: Record<string, unknown>;
}

export interface OAuth1Credentials {
	type: "OAUTH1";
	oauth_token: string;
	oauth_token_secret: string;
	raw: Record<string, unknown>;
}

export type Credentials = OAuth2Credentials | OAuth1Credentials;

/** The credentials of one mode. */
export type CredentialsOf<M extends AuthModeName> = Extract<Credentials, { type: M }>;
