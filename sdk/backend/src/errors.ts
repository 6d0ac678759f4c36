/**
 * The SDK's errors. The worker answers every failure as `{"error": "<message>", "code": "<code>"}`
 * (SPEC §3): `NangoError` carries that code, message and HTTP status. Failures that never got
 * an HTTP answer are subclasses with status 0, so one `instanceof NangoError` catches all.
 *
 * @example
 * try { await nango.getToken("github", "alice") }
 * catch (error) { if (error instanceof NangoError && error.code === "unknown_connection") … }
 */

/** Codes the worker sends today, plus the SDK's own; any other string may appear later. */
export type NangoErrorCode =
	| "missing_auth_header"
	| "malformed_auth_header"
	| "invalid_secret_key"
	| "secret_key_not_configured"
	| "unknown_provider_config"
	| "unknown_provider_template"
	| "unknown_connection"
	| "duplicate_provider_config"
	| "duplicate_connection"
	| "config_has_connections"
	| "refresh_failed"
	| "refresh_token_rejected"
	| "provider_unreachable"
	| "network_error"
	| "timeout"
	| "unexpected_response"
	// Keeps autocompletion for the known codes while accepting codes added by newer workers.
	| (string & {});

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
