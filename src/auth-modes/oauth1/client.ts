/**
 * The OAuth 1.0a flow (RFC 5849 §2): temporary credentials (request token), the authorization
 * redirect, then token credentials in exchange for the verifier. Requests are signed by
 * `signature.ts` and sent through `providers/fetch.ts`; failures are `ProviderFailure` values.
 */
import type { OAuth1Credentials } from "../../connections/credentials";
import type { Config } from "../../db/configs";
import { callProvider, decodeBody, type ProviderFailure } from "../../providers/fetch";
import { fillPlaceholders } from "../../providers/placeholders";
import { type ProviderTemplate, requiredUrl } from "../../providers/template";
import { oauth1Authorization } from "./signature";

export interface OAuth1Client {
	template: ProviderTemplate;
	consumerKey: string;
	consumerSecret: string;
	connectionConfig: Record<string, string>;
}

/** The consumer of RFC 5849 is the config's OAuth client. */
export function oauth1Client(
	config: Config,
	template: ProviderTemplate,
	connectionConfig: Record<string, string>,
): OAuth1Client {
	return {
		template,
		consumerKey: config.oauthClientId,
		consumerSecret: config.oauthClientSecret,
		connectionConfig,
	};
}

export type RequestTokenResult = { ok: true; token: string; secret: string } | ProviderFailure;
export type AccessTokenResult = { ok: true; credentials: OAuth1Credentials } | ProviderFailure;

const MAX_BODY_BYTES = 64 * 1024;

/** §2.1: temporary credentials; `callback` is where the provider sends the user back. */
export async function fetchRequestToken(client: OAuth1Client, callback: string): Promise<RequestTokenResult> {
	const url = fillPlaceholders(client.template.request_url ?? "", client.connectionConfig);
	const result = await signedPost(url, client, { oauthParams: { oauth_callback: callback } });
	if (!result.ok) return result;
	return { ok: true, token: result.token, secret: result.secret };
}

/** §2.2: the URL the user is sent to, with the request token and the config's scopes. */
export function oauth1AuthorizationUrl(client: OAuth1Client, requestToken: string, scopes: string[]): string {
	const { template } = client;
	const url = new URL(fillPlaceholders(requiredUrl(template, "authorization_url"), client.connectionConfig));
	for (const [name, value] of Object.entries(template.authorization_params ?? {})) {
		url.searchParams.set(name, fillPlaceholders(value, client.connectionConfig));
	}
	// Trello reads `scope` here (comma-separated); providers without scopes ignore it.
	if (scopes.length > 0) url.searchParams.set("scope", scopes.join(template.scope_separator ?? " "));
	url.searchParams.set("oauth_token", requestToken);
	return url.toString();
}

/** §2.3: token credentials for the verifier the callback received. */
export async function fetchAccessToken(
	client: OAuth1Client,
	requestToken: { token: string; secret: string },
	verifier: string,
): Promise<AccessTokenResult> {
	const url = fillPlaceholders(requiredUrl(client.template, "token_url"), client.connectionConfig);
	const result = await signedPost(url, client, {
		token: requestToken.token,
		tokenSecret: requestToken.secret,
		oauthParams: { oauth_verifier: verifier },
	});
	if (!result.ok) return result;
	return {
		ok: true,
		credentials: {
			type: "OAUTH1",
			oauth_token: result.token,
			oauth_token_secret: result.secret,
			raw: result.raw,
		},
	};
}

type Signed = { ok: true; token: string; secret: string; raw: Record<string, unknown> } | ProviderFailure;

async function signedPost(
	url: string,
	client: OAuth1Client,
	extra: { token?: string; tokenSecret?: string; oauthParams: Record<string, string> },
): Promise<Signed> {
	const authorization = await oauth1Authorization({
		method: "POST",
		url,
		consumerKey: client.consumerKey,
		consumerSecret: client.consumerSecret,
		...extra,
	});
	const request = new Request(url, {
		method: "POST",
		headers: {
			Authorization: authorization,
			Accept: "application/x-www-form-urlencoded, application/json;q=0.9",
		},
	});
	const answer = await callProvider(request, { maxBytes: MAX_BODY_BYTES });
	if (!answer.ok) return answer;
	const body = decodeBody(answer.body);
	if (answer.status < 200 || answer.status > 299) {
		// The OAuth Problem Reporting extension (oauth_problem) is what OAuth1 providers send, if anything.
		const problem = body?.oauth_problem;
		if (typeof problem === "string") {
			const advice = body?.oauth_problem_advice;
			return {
				ok: false,
				reason: "provider_error",
				error: problem,
				...(typeof advice === "string" ? { description: advice } : {}),
				status: answer.status,
			};
		}
		return { ok: false, reason: "unexpected_status", status: answer.status };
	}
	const token = body?.oauth_token;
	const secret = body?.oauth_token_secret;
	if (!body || typeof token !== "string" || !token || typeof secret !== "string") {
		return { ok: false, reason: "unexpected_body", status: answer.status };
	}
	return { ok: true, token, secret, raw: body };
}
