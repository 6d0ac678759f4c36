/**
 * Stored credentials of a connection (SPEC §3.2): what is sealed into `connections.credentials`.
 */
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
