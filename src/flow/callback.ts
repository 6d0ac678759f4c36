/**
 * The end of a flow, `GET /oauth/callback` (SPEC §4): the session by `state` (consumed, so a
 * replay fails), then the code exchange (OAuth 2, through the engine in `oauth2/`) or the
 * verifier exchange (OAuth 1.0a), then the connection is stored — before anyone hears "success".
 */
import type { Credentials } from "../connections/credentials";
import { keyringFrom } from "../crypto/cipher";
import { database } from "../db/client";
import { type Config, findConfig } from "../db/configs";
import { saveAuthorization } from "../db/connections";
import { takeSession } from "../db/sessions";
import type { Bindings } from "../env";
import { placeholderValues, UrlParamError } from "../providers/placeholders";
import { sendTokenRequest } from "../providers/fetch";
import { buildTokenRequest } from "../auth-modes/oauth2/token-request";
import { resolveTemplate } from "../providers/catalog";
import type { ProviderTemplate } from "../providers/template";
import type { FlowFailure } from "./failure";
import { fetchAccessToken, oauth1Client } from "../auth-modes/oauth1/client";
import type { FlowContext, FlowOutcome } from "./result-message";
import type { FlowSession } from "./session";

type Exchange =
	| { ok: true; credentials: Credentials; metadata: Record<string, unknown> }
	| { ok: false; failure: FlowFailure };

export async function finishFlow(env: Bindings, query: URLSearchParams): Promise<FlowOutcome> {
	const context: FlowContext = {};
	try {
		const failure = await finish(env, query, context);
		if (failure) return { ok: false, failure, context };
		return {
			ok: true,
			providerConfigKey: context.providerConfigKey ?? "",
			connectionId: context.connectionId ?? "",
			...(context.wsClientId ? { wsClientId: context.wsClientId } : {}),
		};
	} catch (error) {
		console.error(`oauth callback failed: ${error instanceof Error ? error.name : "error"}`);
		return { ok: false, failure: { reason: "unexpected" }, context };
	}
}

/** Fills `context` as it learns the flow's ids; returns the failure, or nothing on success. */
async function finish(
	env: Bindings,
	query: URLSearchParams,
	context: FlowContext,
): Promise<FlowFailure | undefined> {
	const state = query.get("state");
	if (!state) return { reason: "state", detail: "missing" };
	const db = database(env.DB);
	const keyring = await keyringFrom(env);
	const taken = await takeSession(db, keyring, state);
	if (!taken.ok) return { reason: "state", detail: taken.reason };
	const { session } = taken;
	context.providerConfigKey = session.providerConfigKey;
	context.connectionId = session.connectionId;
	if (session.wsClientId) context.wsClientId = session.wsClientId;

	const config = await findConfig(db, keyring, session.providerConfigKey);
	if (!config) return { reason: "unknown_config", providerConfigKey: session.providerConfigKey };
	const template = resolveTemplate(config.provider, config.template);
	if (!template || template.auth_mode !== session.authMode)
		return { reason: "no_template", provider: config.provider };

	let exchange: Exchange;
	try {
		exchange =
			session.authMode === "OAUTH1"
				? await exchangeOAuth1(config, template, session, query)
				: await exchangeOAuth2(config, template, session, query);
	} catch (error) {
		if (error instanceof UrlParamError) return { reason: "url_param", detail: error.message };
		throw error;
	}
	if (!exchange.ok) return exchange.failure;
	await saveAuthorization(db, keyring, {
		providerConfigKey: session.providerConfigKey,
		connectionId: session.connectionId,
		credentials: exchange.credentials,
		connectionConfig: session.connectionConfig,
		metadata: { ...redirectMetadata(template, query), ...exchange.metadata },
	});
	return undefined;
}

async function exchangeOAuth2(
	config: Config,
	template: ProviderTemplate,
	session: FlowSession,
	query: URLSearchParams,
): Promise<Exchange> {
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

async function exchangeOAuth1(
	config: Config,
	template: ProviderTemplate,
	session: FlowSession,
	query: URLSearchParams,
): Promise<Exchange> {
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

function deniedFailure(error: string, description: string | null): FlowFailure {
	return { reason: "provider_denied", error, ...(description ? { description } : {}) };
}

/** The callback parameters the template keeps (QuickBooks `realmId`), SPEC §5 redirect_uri_metadata. */
function redirectMetadata(template: ProviderTemplate, query: URLSearchParams): Record<string, string> {
	const metadata: Record<string, string> = {};
	for (const name of template.redirect_uri_metadata ?? []) {
		const value = query.get(name);
		if (value !== null) metadata[name] = value;
	}
	return metadata;
}
