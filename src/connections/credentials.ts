/**
 * A connection's credentials, one shape per auth mode: what is sealed into
 * `connections.credentials` and what every connection read answers (docs/api.md#connections).
 * Each mode's behaviour lives in `src/auth-modes/`, one module per name listed here.
 */

/** Every auth mode the worker serves; `src/auth-modes/registry.ts` maps each to its module. */
export const AUTH_MODE_NAMES = ["OAUTH2", "OAUTH1", "OAUTH2_CC", "API_KEY", "BASIC", "APP"] as const;

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

/** Client credentials (RFC 6749 §4.4): the connection holds its own client and the token it got. */
export interface OAuth2ClientCredentials {
	type: "OAUTH2_CC";
	token: string;
	/** ISO timestamp; a provider that gives no expiry is taken to give 55 minutes */
	expires_at?: string;
	client_id: string;
	client_secret: string;
	raw: Record<string, unknown>;
}

export interface ApiKeyCredentials {
	type: "API_KEY";
	apiKey: string;
}

export interface BasicCredentials {
	type: "BASIC";
	username: string;
	password: string;
}

/** A GitHub App installation token, minted with the app's key for `connection_config.installation_id`. */
export interface AppCredentials {
	type: "APP";
	access_token: string;
	expires_at?: string;
	raw: Record<string, unknown>;
}

export type Credentials =
	| OAuth2Credentials
	| OAuth1Credentials
	| OAuth2ClientCredentials
	| ApiKeyCredentials
	| BasicCredentials
	| AppCredentials;

/** The credentials of one mode. */
export type CredentialsOf<M extends AuthModeName> = Extract<Credentials, { type: M }>;

/** The token a provider sees as `Authorization: Bearer`, for the modes that send one. */
export function bearerTokenOf(credentials: Credentials): string | undefined {
	switch (credentials.type) {
		case "OAUTH2":
		case "APP":
			return credentials.access_token;
		case "OAUTH2_CC":
			return credentials.token;
		case "OAUTH1":
		case "API_KEY":
		case "BASIC":
			return undefined;
	}
}
