/**
 * The OAuth 2 authorization-code mode (RFC 6749 §4.1): the user is sent to the provider with
 * PKCE S256 (unless the template disables it), the callback exchanges the code, the refresh
 * token renews the access token, and API calls carry `Authorization: Bearer`.
 */
import type { OAuth2Credentials } from "../../connections/credentials";
import { deniedFailure } from "../../flow/failure";
import { newSession } from "../../flow/session";
import { placeholderValues } from "../../providers/placeholders";
import { withBearer } from "../bearer";
import type { AuthMode, FlowFinish, FlowFinished, FlowStart, FlowStarted } from "../mode";
import { buildAuthorizationUrl } from "./authorization-url";
import { createPkce } from "./pkce";
import { refreshOAuth2 } from "./refresh";
import { buildTokenRequest } from "./token-request";
import { sendTokenRequest } from "./token-response";

export const oauth2: AuthMode<OAuth2Credentials> = {
	flow: { start, finish },
	expiresAt: (credentials) => parseExpiry(credentials.expires_at),
	refreshable: (credentials) => Boolean(credentials.refresh_token),
	refresh: refreshOAuth2,
	authorize: (request, { credentials }) => withBearer(request, credentials.access_token),
	templateValues: (credentials) => ({ accessToken: credentials.access_token }),
};

async function start({ config, template, values, session: input }: FlowStart): Promise<FlowStarted> {
	const pkce = template.disable_pkce ? undefined : await createPkce();
	const session = newSession({ ...input, ...(pkce ? { codeVerifier: pkce.verifier } : {}) });
	const location = buildAuthorizationUrl({
		template,
		clientId: config.oauthClientId,
		scopes: config.oauthScopes,
		redirectUri: session.redirectUri,
		state: session.state,
		...(pkce ? { codeChallenge: pkce.challenge } : {}),
		connectionConfig: values,
	});
	return { session, location };
}

async function finish({ config, template, session, query }: FlowFinish): Promise<FlowFinished> {
	// RFC 6749 §4.1.2.1: the provider reports a refusal on the redirect.
	const error = query.get("error");
	if (error) return { ok: false, failure: deniedFailure(error, query.get("error_description")) };
	const code = query.get("code");
	if (!code) return { ok: false, failure: { reason: "missing_code" } };
	const request = buildTokenRequest({
		template,
		clientId: config.oauthClientId,
		clientSecret: config.oauthClientSecret,
		redirectUri: session.redirectUri,
		code,
		...(session.codeVerifier === undefined ? {} : { codeVerifier: session.codeVerifier }),
		connectionConfig: placeholderValues(session.connectionConfig),
	});
	const result = await sendTokenRequest(request, template);
	if (!result.ok) return { ok: false, failure: { reason: "token", step: "code_exchange", failure: result } };
	return { ok: true, credentials: result.credentials, metadata: result.metadata };
}

export function parseExpiry(expiresAt: string | undefined): number | undefined {
	if (expiresAt === undefined) return undefined;
	const at = Date.parse(expiresAt);
	return Number.isNaN(at) ? undefined : at;
}
