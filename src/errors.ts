/**
 * The one error vocabulary of the API (docs/api.md#errors): every code, its HTTP status and a default
 * message. Route code throws `ApiError`; `app.onError` writes `{"error", "code"}`.
 */
import type { ContentfulStatusCode } from "hono/utils/http-status";

const codes = {
	// 400: the request itself is wrong
	invalid_json: [400, "The request body is not valid JSON."],
	unsupported_content_type: [415, "Send the body as JSON with 'Content-Type: application/json'."],
	invalid_body: [400, "The request body is invalid."],
	invalid_query: [400, "The query string is invalid."],
	missing_provider_config: [400, "Missing provider_config_key."],
	invalid_provider_config_key: [400, "provider_config_key must be 1-255 characters of A-Z a-z 0-9 _ . -"],
	missing_provider_template: [400, "Missing provider (the template this config uses)."],
	missing_client_id: [400, "Missing oauth_client_id."],
	missing_client_secret: [400, "Missing oauth_client_secret."],
	missing_scopes: [400, "Missing oauth_scopes."],
	missing_connection_id: [400, "Missing connection_id."],
	invalid_connection_id: [400, "connection_id must be 1-255 printable characters."],
	missing_access_token: [400, "Missing access_token (or oauth_token and oauth_token_secret)."],
	invalid_endpoint: [400, "Endpoints must be https:// URLs (http:// only for loopback hosts)."],
	invalid_ws_client_id: [400, "ws_client_id names no WebSocket this worker opened."],
	auth_mode_mismatch: [400, "This integration uses another auth mode: use its own route."],
	connection_test_failed: [400, "The provider refused these credentials; nothing was stored."],
	// GitHub App configs (docs/github-app.md#config)
	missing_app_id: [400, "Missing app_id (the GitHub App's id)."],
	invalid_app_id: [400, "app_id must be the GitHub App's numeric id."],
	missing_app_private_key: [400, "Missing app_private_key (the GitHub App's private key, PEM)."],
	invalid_app_private_key: [400, "app_private_key must be the GitHub App's RSA private key in PEM form."],
	missing_app_slug: [400, "Missing app_slug (the name in https://github.com/apps/<slug>)."],
	invalid_app_slug: [
		400,
		"app_slug must be lowercase letters, digits and hyphens, as in https://github.com/apps/<slug>.",
	],
	// proxy (docs/proxy.md#errors)
	invalid_proxy_header: [400, "A proxy header (Retries, Retry-On) is malformed."],
	base_url_override_not_allowed: [
		400,
		"Base-Url-Override names a host this worker does not allow (NANGO_PROXY_ALLOWED_HOSTS).",
	],
	missing_proxy_base_url: [400, "This integration has no proxy base URL: give the config a proxy.base_url."],
	invalid_proxy_path: [400, "The proxied path would leave the provider's base URL."],
	// 401
	missing_auth_header: [401, "Authentication required: send 'Authorization: Bearer <secret key>'."],
	malformed_auth_header: [401, "The Authorization header is malformed."],
	invalid_secret_key: [401, "The secret key is invalid."],
	secret_key_not_configured: [
		401,
		"This worker has no secret key: run 'wrangler secret put NANGO_SECRET_KEY' to serve backend routes.",
	],
	missing_connect_session_token: [
		401,
		"Send the connect session token: 'Authorization: Bearer nango_connect_session_…'.",
	],
	invalid_connect_session: [401, "The connect session token is unknown, expired or revoked."],
	// 403
	integration_not_allowed: [403, "This connect session does not allow this integration."],
	// 404
	not_found: [404, "No such route."],
	unknown_provider_template: [404, "Unknown provider template."],
	unknown_provider_config: [404, "Unknown provider config."],
	unknown_connection: [404, "Unknown connection."],
	// 409
	duplicate_provider_config: [409, "A provider config with this key already exists."],
	duplicate_connection: [409, "A connection with this id already exists for this provider config."],
	config_has_connections: [
		409,
		"This provider config still has connections: delete them first or pass ?force=true.",
	],
	// 413
	payload_too_large: [413, "The request body is larger than 1 MB."],
	// 429
	rate_limited: [429, "Too many requests from this address: wait a minute and try again."],
	// refresh (docs/flows.md#refresh-failures)
	refresh_failed: [502, "The provider could not refresh the access token."],
	refresh_exhausted: [
		424,
		"Refreshing this connection failed too many times in a row: authorize it again, or force a refresh.",
	],
	refresh_token_rejected: [
		424,
		"The provider rejected the refresh token: the user must authorize the connection again.",
	],
	provider_unreachable: [504, "The provider could not be reached to refresh the access token."],
	proxy_unreachable: [502, "The provider's API could not be reached."],
	proxy_timeout: [504, "The provider's API did not start answering in time."],
	// deployment and the unexpected
	internal_error: [500, "Internal error."],
	storage_unavailable: [503, "The database (D1) did not answer."],
	encryption_key_not_configured: [
		500,
		"This worker has no valid NANGO_ENCRYPTION_KEY (base64 of 32 bytes): run 'wrangler secret put NANGO_ENCRYPTION_KEY'.",
	],
	decryption_failed: [
		500,
		"A stored secret could not be decrypted: check NANGO_ENCRYPTION_KEY and NANGO_ENCRYPTION_KEYS_OLD.",
	],
} as const satisfies Record<string, readonly [ContentfulStatusCode, string]>;

export type ErrorCode = keyof typeof codes;

/** Thrown by route code; `onError` turns it into the JSON error response. */
export class ApiError extends Error {
	readonly code: ErrorCode;
	readonly status: ContentfulStatusCode;

	constructor(code: ErrorCode, message?: string) {
		const [status, defaultMessage] = codes[code];
		super(message ?? defaultMessage);
		this.name = "ApiError";
		this.code = code;
		this.status = status;
	}
}

export function errorBody(code: ErrorCode, message?: string): { error: string; code: ErrorCode } {
	return { error: message ?? codes[code][1], code };
}

/** Today's Nango shape, for the routes only it has (`/connect/*`): `{"error": {"code", "message"}}`. */
export function todayErrorBody(code: ErrorCode, message?: string) {
	return { error: { code, message: message ?? codes[code][1] } };
}

export function isErrorCode(value: string): value is ErrorCode {
	return Object.hasOwn(codes, value);
}
