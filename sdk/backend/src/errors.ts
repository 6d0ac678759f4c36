/**
 * The SDK's errors. The worker answers every failure as `{"error": "<message>", "code": "<code>"}`
 * (docs/api.md#errors): `NangoError` carries that code, message and HTTP status. Failures that never got
 * an HTTP answer are subclasses with status 0, so one `instanceof NangoError` catches all.
 *
 * @example
 * try { await nango.getToken("github", "alice") }
 * catch (error) { if (error instanceof NangoError && error.code === "unknown_connection") … }
 */

/**
 * Every code the worker sends (docs/api.md#error-codes). Written out, not imported: the SDK
 * has no dependencies. test/contract/wire-types.ts fails the build when the two lists differ.
 */
export type WorkerErrorCode =
	// 400 / 413 / 415: the request itself is wrong
	| "invalid_json"
	| "unsupported_content_type"
	| "invalid_body"
	| "invalid_query"
	| "missing_provider_config"
	| "invalid_provider_config_key"
	| "missing_provider_template"
	| "missing_client_id"
	| "missing_client_secret"
	| "missing_scopes"
	| "missing_connection_id"
	| "invalid_connection_id"
	| "missing_access_token"
	| "invalid_endpoint"
	| "invalid_ws_client_id"
	| "missing_app_id"
	| "invalid_app_id"
	| "missing_app_private_key"
	| "invalid_app_private_key"
	| "missing_app_slug"
	| "invalid_app_slug"
	| "invalid_proxy_header"
	| "base_url_override_not_allowed"
	| "missing_proxy_base_url"
	| "invalid_proxy_path"
	| "payload_too_large"
	// 401
	| "missing_auth_header"
	| "malformed_auth_header"
	| "invalid_secret_key"
	| "secret_key_not_configured"
	| "missing_connect_session_token"
	| "invalid_connect_session"
	// 403
	| "integration_not_allowed"
	// 404
	| "not_found"
	| "unknown_provider_template"
	| "unknown_provider_config"
	| "unknown_connection"
	// 409
	| "duplicate_provider_config"
	| "duplicate_connection"
	| "config_has_connections"
	// 429
	| "rate_limited"
	// refresh
	| "refresh_failed"
	| "auth_mode_mismatch"
	| "connection_test_failed"
	| "refresh_exhausted"
	| "refresh_token_rejected"
	| "provider_unreachable"
	// proxy
	| "proxy_unreachable"
	| "proxy_timeout"
	// deployment and the unexpected
	| "internal_error"
	| "storage_unavailable"
	| "encryption_key_not_configured"
	| "decryption_failed";

/** Failures the SDK reports itself, without an error answer from the worker. */
export type SdkErrorCode = "network_error" | "timeout" | "unexpected_response";

/** The known codes, and (for autocompletion's sake kept apart) any code a newer worker may add. */
export type NangoErrorCode = WorkerErrorCode | SdkErrorCode | (string & {});

export interface NangoErrorInit {
	status: number;
	code: NangoErrorCode;
	cause?: unknown;
}

/** The worker answered with an error status (or with something that is not its JSON). */
export class NangoError extends Error {
	/** HTTP status; 0 when no response arrived (network failure, timeout) */
	readonly status: number;
	readonly code: NangoErrorCode;

	constructor(message: string, init: NangoErrorInit) {
		super(message, init.cause === undefined ? undefined : { cause: init.cause });
		this.name = "NangoError";
		this.status = init.status;
		this.code = init.code;
	}
}

/** No HTTP response: connection refused, DNS failure, reset. The cause is the fetch error. */
export class NangoNetworkError extends NangoError {
	constructor(message: string, cause: unknown) {
		super(message, { status: 0, code: "network_error", cause });
		this.name = "NangoNetworkError";
	}
}

/** The worker did not answer within `timeoutMs`. */
export class NangoTimeoutError extends NangoError {
	constructor(message: string, cause: unknown) {
		super(message, { status: 0, code: "timeout", cause });
		this.name = "NangoTimeoutError";
	}
}
