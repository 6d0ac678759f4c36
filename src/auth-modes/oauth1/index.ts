/**
 * The OAuth 1.0a mode (RFC 5849): a request token before the user is sent on, the verifier
 * exchanged at the callback, tokens that never expire and are never refreshed, and API calls
 * signed with HMAC-SHA1.
 */
import type { OAuth1Credentials } from "../../connections/credentials";
import { deniedFailure } from "../../flow/failure";
import { newSession } from "../../flow/session";
import { placeholderValues } from "../../providers/placeholders";
import type { AuthMode, FlowFinish, FlowFinished, FlowStart, FlowStarted } from "../mode";
import { fetchAccessToken, fetchRequestToken, oauth1AuthorizationUrl, oauth1Client } from "./client";
import { oauth1Authorization } from "./signature";

export const oauth1: AuthMode<OAuth1Credentials> = {
	flow: { start, finish },
	expiresAt: () => undefined,
	refreshable: () => false,
	async authorize(request, { config, credentials }) {
		const authorized = new Request(request);
		authorized.headers.set(
			"Authorization",
			await oauth1Authorization({
				method: request.method,
				url: request.url,
				consumerKey: config.oauthClientId,
				consumerSecret: config.oauthClientSecret,
				token: credentials.oauth_token,
				tokenSecret: credentials.oauth_token_secret,
			}),
		);
		return authorized;
	},
	templateValues: () => ({}),
};

/** RFC 5849 §2.1-2.2: the request token is obtained now, before the user is sent on. */
async function start({ config, template, values, session: input }: FlowStart): Promise<FlowStarted> {
	if (!template.request_url) return { reason: "no_template", provider: config.provider };
	const session = newSession(input);
	const client = oauth1Client(config, template, values);
	// RFC 5849 §2.1: the provider appends oauth_token and oauth_verifier to this URL, keeping our state.
	const callback = new URL(session.redirectUri);
	callback.searchParams.set("state", session.state);
	const requestToken = await fetchRequestToken(client, callback.toString());
	if (!requestToken.ok) return { reason: "token", step: "request_token", failure: requestToken };
	session.requestToken = { token: requestToken.token, secret: requestToken.secret };
	return { session, location: oauth1AuthorizationUrl(client, requestToken.token, config.oauthScopes) };
}

async function finish({ config, template, session, query }: FlowFinish): Promise<FlowFinished> {
	// Twitter sends `denied=<request token>` when the user refuses.
	if (query.has("denied")) {
		return { ok: false, failure: deniedFailure("access_denied", "The user denied the authorization.") };
	}
	const error = query.get("error");
	if (error) return { ok: false, failure: deniedFailure(error, query.get("error_description")) };
	const token = query.get("oauth_token");
	const verifier = query.get("oauth_verifier");
	if (!token || !verifier) return { ok: false, failure: { reason: "missing_code" } };
	if (!session.requestToken || token !== session.requestToken.token) {
		return { ok: false, failure: { reason: "oauth1_token_mismatch" } };
	}
	const client = oauth1Client(config, template, placeholderValues(session.connectionConfig));
	const result = await fetchAccessToken(client, session.requestToken, verifier);
	if (!result.ok) return { ok: false, failure: { reason: "token", step: "access_token", failure: result } };
	return { ok: true, credentials: result.credentials, metadata: {} };
}
