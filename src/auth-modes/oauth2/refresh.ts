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
	let request: Request;
	try {
		request = buildRefreshRequest({
			template,
			clientId: config.oauthClientId,
			clientSecret: config.oauthClientSecret,
			refreshToken: credentials.refresh_token,
			connectionConfig: placeholderValues(input.connectionConfig),
		});
	} catch (error) {
		if (error instanceof UrlParamError) return { ok: false, reason: "misconfigured", message: error.message };
		if (error instanceof TypeError) {
			return { ok: false, reason: "misconfigured", message: "the token URL is not a valid URL." };
		}
		throw error;
	}
	return sendTokenRequest(request, template, { previous: credentials, now: new Date(input.now) });
}
