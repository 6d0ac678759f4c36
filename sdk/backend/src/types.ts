/**
 * The worker's wire shapes (docs/api.md), as the SDK returns them: snake_case, as the early
 * Nango server and its clients used them, so code written for those keeps working.
 */

export interface OAuth2Credentials {
	type: "OAUTH2";
	access_token: string;
	/** absent when the provider issued none */
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

/** Client credentials: the connection's own client, and a token the worker keeps fresh. */
export interface OAuth2ClientCredentials {
	type: "OAUTH2_CC";
	token: string;
	/** ISO timestamp; 55 minutes after issue when the provider gives no expiry */
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

/** A GitHub App installation token. */
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

/** What `getToken` answers for an OAuth 1.0a connection (the early client's shape). */
export interface OAuth1Token {
	oAuthToken: string;
	oAuthTokenSecret: string;
}

/** OAuth 2: the access token; OAuth 1.0a: token and token secret. */
/** Credentials to import, one shape per auth mode (as a connection read answers them). */
export type ImportCredentials =
	| {
			type: "OAUTH2";
			access_token: string;
			refresh_token?: string;
			expires_at?: string | number;
			raw?: Record<string, unknown>;
	  }
	| { type: "OAUTH1"; oauth_token: string; oauth_token_secret: string; raw?: Record<string, unknown> }
	| { type: "API_KEY"; apiKey: string }
	| { type: "BASIC"; username: string; password: string }
	| {
			type: "OAUTH2_CC";
			/** without it, the first read fetches a token */
			token?: string;
			expires_at?: string | number;
			client_id: string;
			client_secret: string;
			raw?: Record<string, unknown>;
	  };

/** What `getToken` answers for a basic-auth connection. */
export interface BasicToken {
	username: string;
	password: string;
}

export type AccessToken = string | OAuth1Token | BasicToken;

export interface RefreshError {
	code: string;
	message: string;
	/** ISO timestamp */
	at: string;
}

export interface Connection {
	id: number;
	created_at: string;
	updated_at: string;
	provider_config_key: string;
	connection_id: string;
	credentials: Credentials;
	/** values the user supplied for the template's placeholders, e.g. `{ subdomain: "acme" }` */
	connection_config: Record<string, unknown>;
	/** values captured during the flow, e.g. QuickBooks `realmId` */
	metadata: Record<string, unknown>;
	account_id: number;
	/** true once the provider rejected the refresh token: the user must authorize again */
	needs_reauth: boolean;
	last_refresh_error: RefreshError | null;
	/** consecutive failed refreshes */
	refresh_failures: number;
	/** too many failures in a row: reads answer 424 `refresh_exhausted` until re-authorized or forced */
	refresh_exhausted: boolean;
	/** who the connection belongs to in the app, from the connect session that made it */
	end_user: EndUser | null;
	/** the connect session's tags */
	tags: Record<string, string>;
}

export interface EndUser {
	id: string;
	email: string | null;
	display_name: string | null;
	tags: Record<string, string> | null;
	organization: { id: string; display_name: string | null } | null;
}

export interface ConnectionListItem {
	id: number;
	connection_id: string;
	/** the early field name: it holds the provider config key, not the template */
	provider: string;
	provider_config_key: string;
	/** ISO timestamp */
	created: string;
}

export interface ConnectionList {
	connections: ConnectionListItem[];
}

export interface ListConnectionsFilter {
	connectionId?: string;
	providerConfigKey?: string;
	/** rows a page, 1-2000; the worker's default is 1000 (docs/api.md#paging) */
	limit?: number;
	/** 0-based page number */
	page?: number;
}

/** `POST /connection`: credentials obtained elsewhere (a migration, another OAuth library). */
export interface ImportConnectionInput {
	provider_config_key: string;
	connection_id: string;
	/** today's Nango shape, any auth mode (instead of the early token fields below) */
	credentials?: ImportCredentials;
	/** OAuth 2 */
	access_token?: string;
	refresh_token?: string;
	/** ISO timestamp, or epoch seconds/milliseconds */
	expires_at?: string | number;
	/** OAuth 1.0a */
	oauth_token?: string;
	oauth_token_secret?: string;
	connection_config?: Record<string, unknown>;
	metadata?: Record<string, unknown>;
	/** the provider's token response, kept as `credentials.raw` */
	raw?: Record<string, unknown>;
}

/** `POST /connect/sessions` (docs/connect-sessions.md); `end_user` is required unless `tags` is given. */
export interface ConnectSessionInput {
	end_user?: EndUserInput;
	organization?: { id: string; display_name?: string | undefined };
	/** config keys the browser may connect; all when absent */
	allowed_integrations?: string[];
	/** per config key: values the backend chooses (host values included), authorization params, user scopes */
	integrations_config_defaults?: Record<string, IntegrationDefaults>;
	tags?: Record<string, string>;
	/** where the auth webhooks of this session's connections go, instead of NANGO_WEBHOOK_URL */
	webhook_url_override?: string;
}

export interface EndUserInput {
	id: string;
	email?: string | undefined;
	display_name?: string | undefined;
	tags?: Record<string, string> | undefined;
}

export interface IntegrationDefaults {
	connection_config?: Record<string, string | number | boolean>;
	authorization_params?: Record<string, string>;
	user_scopes?: string;
}

/** `POST /connect/sessions/reconnect`: flows under it replace this one connection. */
export interface ReconnectSessionInput extends Omit<ConnectSessionInput, "allowed_integrations"> {
	connection_id: string;
	integration_id: string;
}

export interface ConnectSessionToken {
	/** `nango_connect_session_…`: pass it to the page */
	token: string;
	connect_link: string;
	/** ISO timestamp, 30 minutes ahead */
	expires_at: string;
}

export type AuthMode = Credentials["type"];

/** Template fields a custom provider config may carry instead of naming a catalog template (docs/api.md#template-fields). */
export interface TemplateFields {
	auth_mode?: AuthMode;
	name?: string;
	authorization_url?: string;
	token_url?: string;
	refresh_url?: string;
	request_url?: string;
	authorization_params?: Record<string, string>;
	token_params?: Record<string, string>;
	refresh_params?: Record<string, string>;
	scope_separator?: string;
	default_scopes?: string[];
	token_request_auth_method?: "body" | "basic";
	body_format?: "form" | "json";
	disable_pkce?: boolean;
	/** placeholders each connection supplies, e.g. `${connectionConfig.subdomain}` */
	connection_config?: Record<string, ConnectionConfigField>;
	redirect_uri_metadata?: string[];
	token_response_metadata?: string[];
	token_expiration_buffer?: number;
	/** where the access token sits when not at the top of the token response (Slack: ["authed_user"]) */
	alternate_access_token_response_path?: string[];
	/** the provider reports token errors with HTTP 200 and an `error` field */
	errors_with_status_200?: boolean;
	/** `expires_in` is in milliseconds, not seconds */
	expires_in_unit?: "seconds" | "milliseconds";
	docs?: string;
	/** how the proxy calls the provider's API (docs/proxy.md) */
	proxy?: ProxyFields;
	/** the request that tests new API-key or basic credentials before they are stored */
	verification?: VerificationFields;
}

export interface ProxyFields {
	/** the API's base URL; may hold `${connectionConfig.NAME}` placeholders */
	base_url?: string;
	/** headers sent with every proxied call: `${apiKey}`, `${accessToken}`, `${username}`, `${password}`, `${connectionConfig.NAME}`, `${base64(…)}` */
	headers?: Record<string, string>;
	/** query parameters sent with every proxied call, with the same placeholders */
	query?: Record<string, string>;
	/** response headers that say when to retry: `after` (seconds to wait) or `at` (the reset time) */
	retry?: { after?: string; at?: string };
}

export interface VerificationFields {
	method: "GET" | "POST";
	/** paths under `proxy.base_url`, tried in order: the first 2xx accepts the credentials */
	endpoints: string[];
}

/** A value each connection supplies for a template placeholder. */
export interface ConnectionConfigField {
	description: string;
	/** a regular expression the value must match */
	pattern?: string;
	/** used when the connection gives none */
	default?: string;
}

export interface ProviderConfigInput extends TemplateFields {
	provider_config_key: string;
	/** a catalog template key (see `listProviders`), or any name for a custom config */
	provider: string;
	/** required by every config but a GitHub App's */
	oauth_client_id?: string;
	oauth_client_secret?: string;
	/** comma- or space-separated, or a list */
	oauth_scopes?: string | string[];
	/** GitHub App configs (template `github-app`, auth mode APP): the app's id */
	app_id?: string | number;
	/** the app's private key, PEM (PKCS#1 as GitHub hands it out, or PKCS#8); stored sealed */
	app_private_key?: string;
	/** the app's slug: https://github.com/apps/<slug> */
	app_slug?: string;
}

/** A provider config as listed: no client secret. */
export interface ProviderConfigSummary {
	id: number;
	created_at: string;
	updated_at: string;
	unique_key: string;
	provider: string;
	oauth_client_id: string;
	/** comma-joined */
	oauth_scopes: string;
	account_id: number;
	/** only on custom configs */
	template?: TemplateFields;
	/** only on GitHub App configs */
	app_id?: string;
	app_slug?: string;
}

export interface ProviderConfig extends ProviderConfigSummary {
	oauth_client_secret: string;
	/** only on GitHub App configs: the same value as oauth_client_secret */
	app_private_key?: string;
}

export interface ProviderConfigList {
	configs: ProviderConfigSummary[];
}

export interface ProviderSummary {
	key: string;
	name: string;
	auth_mode: AuthMode;
	docs?: string;
	connection_config?: Record<string, ConnectionConfigField>;
}

export interface ProviderList {
	providers: ProviderSummary[];
}

/** A catalog template. */
export interface Provider extends TemplateFields {
	key: string;
	auth_mode: AuthMode;
	authorization_url: string;
	token_url: string;
}
