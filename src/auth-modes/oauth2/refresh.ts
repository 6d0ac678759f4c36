/**
 * One refresh grant (RFC 6749 §6) through the generic OAuth 2 engine: the config's client
 * credentials, the template's endpoint and parameters (which can never override `grant_type` or
 * `refresh_token`), and the previous credentials, so an answer without a refresh token keeps the
 * old one.
 */
import type { OAuth2Credentials } from "../../connections/credentials";
import { placeholderValues, UrlParamError } from "../../providers/placeholders";
import type { Refreshed, RefreshInput } from "../mode";
import { buildRefreshRequest } from "./token-request";
import { sendTokenRequest } from "./token-response";

export async function refreshOAuth2(
	input: RefreshInput<OAuth2Credentials>,
): Promise<Refreshed<OAuth2Credentials>> {
	const { config, template, credentials } = input;
	if (!credentials.refresh_token) {
		return { ok: false, reason: "misconfigured", message: "the connection holds no refresh token." };
	}
	const refreshToken = credentials.refresh_token;
	const request = builtOrMisconfigured(() =>
		buildRefreshRequest({
			template,
			clientId: config.oauthClientId,
			clientSecret: config.oauthClientSecret,
			refreshToken,
			connectionConfig: placeholderValues(input.connectionConfig),
		}),
	);
	if (!(request instanceof Request)) return request;
	return sendTokenRequest(request, template, { previous: credentials, now: new Date(input.now) });
}

/**
 * A token request, or why the config cannot build one: a placeholder without its value, or a
 * token URL that does not parse (both `misconfigured`, not a provider failure).
 */
export function builtOrMisconfigured(
	build: () => Request,
): Request | { ok: false; reason: "misconfigured"; message: string } {
	try {
		return build();
	} catch (error) {
		if (error instanceof UrlParamError) return { ok: false, reason: "misconfigured", message: error.message };
		if (error instanceof TypeError) {
			return { ok: false, reason: "misconfigured", message: "the token URL is not a valid URL." };
		}
		throw error;
	}
}
