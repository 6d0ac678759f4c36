/**
 * The end of a flow, `GET /oauth/callback` (docs/flows.md): the session by `state` (consumed,
 * so a replay fails) and the browser that started it (its flow cookie), then the auth mode's `flow.finish` (the OAuth 2 code exchange, the OAuth
 * 1.0a verifier exchange, a GitHub App's first installation token), then the connection is stored — before anyone hears "success".
 */
import type { FlowFinished } from "../auth-modes/mode";
import { authMode } from "../auth-modes/registry";
import { storeAuthorization } from "../connections/authorized";
import { keyringFrom } from "../crypto/cipher";
import { database } from "../db/client";
import { findConfig } from "../db/configs";
import { takeSession } from "../db/sessions";
import type { Bindings } from "../env";
import { resolveTemplate } from "../providers/catalog";
import { UrlParamError } from "../providers/placeholders";
import type { ProviderTemplate } from "../providers/template";
import { matchesFlowCookie } from "./browser-binding";
import { type FlowFailure, thrownFailure } from "./failure";
import type { FlowContext, FlowOutcome } from "./result-message";

/** The flow cookie the callback request carries for a state (docs/flows.md#browser-binding). */
export type FlowCookieOf = (state: string) => string | undefined;

export async function finishFlow(
	env: Bindings,
	query: URLSearchParams,
	cookieOf: FlowCookieOf,
): Promise<FlowOutcome> {
	const context: FlowContext = {};
	try {
		const failure = await finish(env, query, cookieOf, context);
		if (failure) return { ok: false, failure, context };
		return {
			ok: true,
			providerConfigKey: context.providerConfigKey ?? "",
			connectionId: context.connectionId ?? "",
			...(context.wsClientId ? { wsClientId: context.wsClientId } : {}),
		};
	} catch (error) {
		console.error(`oauth callback failed: ${error instanceof Error ? error.name : "error"}`);
		return { ok: false, failure: thrownFailure(error), context };
	}
}

/** Fills `context` as it learns the flow's ids; returns the failure, or nothing on success. */
async function finish(
	env: Bindings,
	query: URLSearchParams,
	cookieOf: FlowCookieOf,
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
	// Consumed either way: a callback from the wrong browser also ends the attacker's flow.
	if (!(await matchesFlowCookie(cookieOf(state), session.browserBinding))) {
		return { reason: "state", detail: "browser" };
	}

	const config = await findConfig(db, keyring, session.providerConfigKey);
	if (!config) return { reason: "unknown_config", providerConfigKey: session.providerConfigKey };
	const template = resolveTemplate(config.provider, config.template);
	if (!template || template.auth_mode !== session.authMode)
		return { reason: "no_template", provider: config.provider };

	const flow = authMode(session.authMode).flow;
	if (!flow) return { reason: "no_template", provider: config.provider };
	let exchange: FlowFinished;
	try {
		exchange = await flow.finish({ config, template, session, query });
	} catch (error) {
		if (error instanceof UrlParamError) return { reason: "url_param", detail: error.message };
		throw error;
	}
	if (!exchange.ok) return exchange.failure;
	const input = {
		providerConfigKey: session.providerConfigKey,
		connectionId: session.connectionId,
		credentials: exchange.credentials,
		// What the provider's redirect told the flow (GitHub's installation_id) wins over the start's values.
		connectionConfig: { ...session.connectionConfig, ...exchange.connectionConfig },
		metadata: { ...redirectMetadata(template, query), ...exchange.metadata },
		...(session.owner ? { owner: session.owner } : {}),
	};
	await storeAuthorization(env, db, keyring, input, config.provider);
	return undefined;
}

/** The callback parameters the template keeps (QuickBooks `realmId`), docs/flows.md#metadata. */
function redirectMetadata(template: ProviderTemplate, query: URLSearchParams): Record<string, string> {
	const metadata: Record<string, string> = {};
	for (const name of template.redirect_uri_metadata ?? []) {
		const value = query.get(name);
		if (value !== null) metadata[name] = value;
	}
	return metadata;
}
