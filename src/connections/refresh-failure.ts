/**
 * Why a refresh failed, as a value (docs/conventions.md#5-one-error-vocabulary), and its one wire form: every reason maps to
 * an error code and message in one exhaustive switch, so a new reason does not compile until it
 * has one. The refresher stores the same code and message as the connection's `last_refresh_error`.
 */
import { ApiError } from "../errors";
import type { ProviderFailure } from "../providers/fetch";

export type RefreshFailure =
	/** what the token endpoint (or the way to it) answered */
	| ProviderFailure
	/** the refresh token was rejected moments ago: no new attempt until the cooldown ends */
	| { ok: false; reason: "cooling_down"; retryAt: string }
	/** the config or its template cannot build a refresh request (e.g. a placeholder lost its value) */
	| { ok: false; reason: "misconfigured"; message: string }
	/** the connection (or its config) was deleted while the refresh ran */
	| { ok: false; reason: "gone" };

export type FailureCode =
	| "refresh_token_rejected"
	| "provider_unreachable"
	| "refresh_failed"
	| "unknown_connection";

export interface FailureDescription {
	code: FailureCode;
	message: string;
}

// RFC 6749 §5.2 names no transient errors, but §4.1.2.1's are what servers send when down.
const TRANSIENT_ERRORS = new Set(["temporarily_unavailable", "server_error"]);

export function describeFailure(failure: RefreshFailure): FailureDescription {
	switch (failure.reason) {
		case "provider_error": {
			const said = providerSaid(failure.error, failure.description);
			if (failure.error === "invalid_grant") {
				return {
					code: "refresh_token_rejected",
					message: `The provider rejected the refresh token (${said}): the user must authorize the connection again.`,
				};
			}
			if (failure.status >= 500 || TRANSIENT_ERRORS.has(failure.error)) {
				return {
					code: "provider_unreachable",
					message: `The provider is unavailable (HTTP ${failure.status}, ${said}).`,
				};
			}
			return {
				code: "refresh_failed",
				message: `The provider refused to refresh the access token (HTTP ${failure.status}, ${said}).`,
			};
		}
		case "unexpected_status":
			// 5xx and 429: the provider is down or throttling, not refusing this token.
			if (failure.status >= 500 || failure.status === 429) {
				return {
					code: "provider_unreachable",
					message: `The provider answered the refresh with HTTP ${failure.status}.`,
				};
			}
			return {
				code: "refresh_failed",
				message: `The provider answered the refresh with an unexpected HTTP ${failure.status}.`,
			};
		case "unexpected_body":
			return {
				code: "refresh_failed",
				message: `The provider's refresh response (HTTP ${failure.status}) holds no access token.`,
			};
		case "network":
			return { code: "provider_unreachable", message: "The provider's token endpoint could not be reached." };
		case "timeout":
			return {
				code: "provider_unreachable",
				message: "The provider's token endpoint did not answer in time.",
			};
		case "cooling_down":
			return {
				code: "refresh_token_rejected",
				message: `The provider rejected the refresh token: the user must authorize the connection again (next attempt after ${failure.retryAt}).`,
			};
		case "misconfigured":
			return { code: "refresh_failed", message: `The access token cannot be refreshed: ${failure.message}` };
		case "gone":
			return {
				code: "unknown_connection",
				message: "The connection was deleted while its token was refreshed.",
			};
	}
}

export function failureError(failure: RefreshFailure): ApiError {
	const { code, message } = describeFailure(failure);
	return new ApiError(code, message);
}

/** The provider's own words, bounded: an error page must not fill our error messages. */
function providerSaid(error: string, description: string | undefined): string {
	const text = description ? `${error}: ${description}` : error;
	return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
