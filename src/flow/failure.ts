/**
 * Why an OAuth flow failed, as values (docs/conventions.md#5-one-error-vocabulary), and their one wire form: the
 * `{type, message}` error of docs/flows.md#flow-errors with an HTTP status for the result page. The switch has no
 * `default`, so a new failure reason does not compile until it has a wire form.
 */
import { asApiError } from "../known-errors";
import type { ProviderFailure } from "../providers/fetch";

export type FlowFailure =
	| { reason: "missing_connection_id" }
	| { reason: "invalid_connection_id" }
	| { reason: "unknown_config"; providerConfigKey: string }
	| { reason: "no_template"; provider: string }
	| { reason: "url_param"; detail: string }
	| { reason: "missing_public_key" }
	| { reason: "invalid_public_key" }
	| { reason: "missing_hmac" }
	| { reason: "invalid_hmac" }
	/** a deployed worker lets only the app's backend start flows (docs/flows.md#who-may-start-a-flow) */
	| { reason: "missing_connect_session_token" }
	| { reason: "invalid_connect_session" }
	| { reason: "integration_not_allowed"; providerConfigKey: string }
	| { reason: "connection_id_with_session" }
	| { reason: "invalid_ws_client_id" }
	/** too many requests from this client address (docs/api.md#rate-limits) */
	| { reason: "rate_limited" }
	/** `browser`: the callback did not come from the browser that started the flow */
	| { reason: "state"; detail: "missing" | "unknown" | "expired" | "browser" }
	/** the provider redirected back with `error` (RFC 6749 §4.1.2.1) or OAuth1 `denied` */
	| { reason: "provider_denied"; error: string; description?: string }
	| { reason: "missing_code" }
	/** GitHub's redirect after an app install: no installation id, a malformed one, or one awaiting an owner's approval */
	| { reason: "installation"; detail: "missing" | "invalid" | "requested" }
	/** a GitHub App config whose private key cannot sign (docs/github-app.md) */
	| { reason: "app_key" }
	| { reason: "oauth1_token_mismatch" }
	| { reason: "token"; step: TokenStep; failure: ProviderFailure }
	/** D1 did not answer (docs/api.md#errors, `storage_unavailable`) */
	| { reason: "storage_unavailable" }
	| { reason: "unexpected" };

export type TokenStep = "code_exchange" | "request_token" | "access_token" | "installation_token";

/** The error the page, the popup message and the WebSocket carry. Never holds a secret. */
export interface FlowError {
	type: string;
	message: string;
	/** the provider's own `error` and `error_description`, when it sent them */
	error?: string;
	error_description?: string;
}

export function describeFailure(failure: FlowFailure): {
	status: 400 | 401 | 403 | 404 | 429 | 500 | 502 | 503 | 504;
	error: FlowError;
} {
	switch (failure.reason) {
		case "missing_connection_id":
			return { status: 400, error: { type: "missing_connection_id", message: "Missing connection_id." } };
		case "invalid_connection_id":
			return {
				status: 400,
				error: {
					type: "invalid_connection_id",
					message: "connection_id must be 1-255 printable characters.",
				},
			};
		case "unknown_config":
			return {
				status: 404,
				error: {
					type: "unknown_config_key",
					message: `No provider config has the key '${failure.providerConfigKey}'.`,
				},
			};
		case "no_template":
			return {
				status: 400,
				error: {
					type: "provider_config_err",
					message: `The provider config names an unknown or incomplete template '${failure.provider}'.`,
				},
			};
		case "url_param":
			return {
				status: 400,
				error: {
					type: "url_param_err",
					message: `The provider's URLs need connection config values: ${failure.detail}. Pass them as params.`,
				},
			};
		case "missing_public_key":
			return {
				status: 401,
				error: { type: "missing_public_key", message: "This server requires a public key (public_key)." },
			};
		case "invalid_public_key":
			return { status: 401, error: { type: "invalid_public_key", message: "The public key is invalid." } };
		case "missing_hmac":
			return {
				status: 401,
				error: {
					type: "missing_hmac",
					message: "This server requires an hmac of the provider config key and connection id.",
				},
			};
		case "invalid_hmac":
			return { status: 401, error: { type: "invalid_hmac", message: "The hmac is invalid." } };
		case "missing_connect_session_token":
			return {
				status: 401,
				error: {
					type: "missing_connect_session_token",
					message:
						"Starting a connection needs a connect session token from the app's backend (POST /connect/sessions) or a valid hmac.",
				},
			};
		case "invalid_connect_session":
			return {
				status: 401,
				error: {
					type: "invalid_connect_session",
					message: "The connect session token is unknown, expired or revoked: ask the app for a new one.",
				},
			};
		case "integration_not_allowed":
			return {
				status: 403,
				error: {
					type: "integration_not_allowed",
					message: `This connect session does not allow the integration '${failure.providerConfigKey}'.`,
				},
			};
		case "connection_id_with_session":
			return {
				status: 400,
				error: {
					type: "connection_id_not_allowed",
					message: "connection_id cannot be sent with a connect session token: the worker chooses it.",
				},
			};
		case "invalid_ws_client_id":
			return {
				status: 400,
				error: {
					type: "invalid_ws_client_id",
					message: "ws_client_id names no WebSocket this worker opened: reload the page and try again.",
				},
			};
		case "rate_limited":
			return {
				status: 429,
				error: {
					type: "rate_limited",
					message: "Too many requests from this address: wait a minute and try again.",
				},
			};
		case "state":
			return { status: 400, error: { type: "state_err", message: STATE_TEXT[failure.detail] } };
		case "provider_denied":
			return {
				status: 400,
				error: {
					type: "callback_err",
					message: `The provider answered ${failure.error}${failure.description ? `: ${failure.description}` : ""}`,
					error: failure.error,
					...(failure.description === undefined ? {} : { error_description: failure.description }),
				},
			};
		case "missing_code":
			return {
				status: 400,
				error: { type: "callback_err", message: "The provider's callback has no authorization code." },
			};
		case "installation":
			return { status: 400, error: { type: "callback_err", message: INSTALLATION_TEXT[failure.detail] } };
		case "app_key":
			return {
				status: 400,
				error: {
					type: "provider_config_err",
					message: "The GitHub App config's private key cannot sign: replace its app_private_key.",
				},
			};
		case "oauth1_token_mismatch":
			return {
				status: 400,
				error: {
					type: "callback_err",
					message: "The provider's callback names another request token than this session's.",
				},
			};
		case "token":
			return describeProviderFailure(failure.step, failure.failure);
		case "storage_unavailable":
			return {
				status: 503,
				error: {
					type: "storage_unavailable",
					message: "The database did not answer: try again in a moment.",
				},
			};
		case "unexpected":
			return { status: 500, error: { type: "unknown_err", message: "Unexpected error: try again." } };
	}
}

const INSTALLATION_TEXT = {
	missing:
		"GitHub's callback has no installation_id: check that the app's Setup URL is this worker's /oauth/callback.",
	invalid: "GitHub's callback has an installation_id that is not a number.",
	requested: "The installation awaits an organization owner's approval: connect again once it is approved.",
} as const;

const STATE_TEXT = {
	missing: "The callback has no state parameter.",
	unknown: "The authorization session is unknown, expired or already used: start again.",
	expired: "The authorization session is unknown, expired or already used: start again.",
	browser: "This authorization was started in another browser: start again from the app.",
} as const;

/** What a thrown error means for the flow: a storage outage has its own type, anything else is unexpected. */
export function thrownFailure(error: unknown): FlowFailure {
	return asApiError(error)?.code === "storage_unavailable"
		? { reason: "storage_unavailable" }
		: { reason: "unexpected" };
}

/** The provider redirected back with a refusal (RFC 6749 §4.1.2.1 `error`, OAuth 1 `denied`). */
export function deniedFailure(error: string, description: string | null): FlowFailure {
	return { reason: "provider_denied", error, ...(description ? { description } : {}) };
}

const STEP_TEXT: Record<TokenStep, string> = {
	code_exchange: "exchanging the authorization code",
	request_token: "obtaining a request token",
	access_token: "obtaining the access token",
	installation_token: "minting the installation token",
};

function describeProviderFailure(step: TokenStep, failure: ProviderFailure) {
	const during = STEP_TEXT[step];
	switch (failure.reason) {
		case "provider_error":
			return {
				status: 502 as const,
				error: {
					type: "token_err",
					message: `The provider refused ${during}: ${failure.error}${failure.description ? `: ${failure.description}` : ""}`,
					error: failure.error,
					...(failure.description === undefined ? {} : { error_description: failure.description }),
				},
			};
		case "unexpected_status":
			return {
				status: 502 as const,
				error: { type: "token_err", message: `The provider answered HTTP ${failure.status} ${during}.` },
			};
		case "unexpected_body":
			return {
				status: 502 as const,
				error: { type: "token_err", message: `The provider's answer ${during} could not be read.` },
			};
		case "network":
			return {
				status: 502 as const,
				error: { type: "token_err", message: `The provider could not be reached ${during}.` },
			};
		case "timeout":
			return {
				status: 504 as const,
				error: { type: "token_err", message: `The provider did not answer in time ${during}.` },
			};
	}
}
