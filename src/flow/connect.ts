/**
 * The start of a flow, `GET /oauth/connect/:provider_config_key` (docs/flows.md#connect): who may
 * start it (a connect session, an hmac, or loopback development), config and template,
 * connection config (host-choosing values only from the backend), a sealed single-use session
 * bound to this browser, then the provider's URL (each auth mode's `flow.start`).
 */
import * as v from "valibot";
import { authMode } from "../auth-modes/registry";
import { type ConnectSession, ownerOf } from "../connect-sessions/session";
import { keyringFrom } from "../crypto/cipher";
import { database } from "../db/client";
import { findConfig } from "../db/configs";
import { saveSession } from "../db/sessions";
import type { Bindings } from "../env";
import { providerConfigKeySchema } from "../input/identifiers";
import { resolveTemplate } from "../providers/catalog";
import {
	fillPlaceholders,
	placeholderValues,
	resolveConnectionConfig,
	UrlParamError,
} from "../providers/placeholders";
import type { ProviderTemplate } from "../providers/template";
import { newFlowCookie } from "./browser-binding";
import { callbackUrl } from "./callback-url";
import { browserConfig, sessionConfig } from "./connection-config";
import { type FlowFailure, thrownFailure } from "./failure";
import { grantConnection, issuedWsClientId } from "./grant";
import { ConnectionParamError, connectionParams } from "./params";
import type { FlowContext } from "./result-message";
import type { SessionInput } from "./session";

export interface ConnectRequest {
	providerConfigKey: string;
	/** the full request URL: its query and, for the default callback URL, its origin */
	url: string;
}

export type StartResult =
	| { ok: true; location: string; state: string; cookie: string }
	| { ok: false; failure: FlowFailure; context: FlowContext };

export async function startFlow(env: Bindings, request: ConnectRequest): Promise<StartResult> {
	const query = new URL(request.url).searchParams;
	const connectionId = query.get("connection_id") ?? "";
	const context: FlowContext = {
		providerConfigKey: request.providerConfigKey,
		...(connectionId ? { connectionId } : {}),
	};
	try {
		const result = await start(env, request, query, context);
		return "reason" in result ? { ok: false, failure: result, context } : { ok: true, ...result };
	} catch (error) {
		console.error(`oauth connect failed: ${error instanceof Error ? error.name : "error"}`);
		return { ok: false, failure: thrownFailure(error), context };
	}
}

/** The provider URL to redirect to and the flow cookie to set, or why not. */
async function start(
	env: Bindings,
	request: ConnectRequest,
	query: URLSearchParams,
	context: FlowContext,
): Promise<{ location: string; state: string; cookie: string } | FlowFailure> {
	const providerConfigKey = request.providerConfigKey;
	const db = database(env.DB);
	const channel = await issuedWsClientId(env, query);
	if ("reason" in channel) return channel;
	// Known first, so every later refusal also reaches the page's WebSocket.
	if (channel.wsClientId) context.wsClientId = channel.wsClientId;
	const grant = await grantConnection(env, db, { providerConfigKey, query, requestUrl: request.url });
	if ("reason" in grant) return grant;
	context.connectionId = grant.connectionId;
	if (!v.is(providerConfigKeySchema, providerConfigKey))
		return { reason: "unknown_config", providerConfigKey };

	const keyring = await keyringFrom(env);
	const config = await findConfig(db, keyring, providerConfigKey);
	if (!config) return { reason: "unknown_config", providerConfigKey };
	const catalogTemplate = resolveTemplate(config.provider, config.template);
	if (!catalogTemplate) return { reason: "no_template", provider: config.provider };
	const template = withSessionParams(catalogTemplate, grant.session, providerConfigKey);

	try {
		const params = connectionParams(query);
		const connectionConfig = {
			...browserConfig(template, params),
			...sessionConfig(grant, providerConfigKey),
		};
		const flow = authMode(template.auth_mode).flow;
		if (!flow) return { reason: "no_template", provider: config.provider };
		const values = resolveConnectionConfig(template, placeholderValues(connectionConfig));
		checkPlaceholders(template, values, flow.learns ?? []);
		const cookie = await newFlowCookie();
		const session: SessionInput = {
			providerConfigKey,
			connectionId: grant.connectionId,
			authMode: template.auth_mode,
			redirectUri: callbackUrl(env, request.url),
			connectionConfig: { ...connectionConfig, ...values },
			browserBinding: cookie.hash,
			...(channel.wsClientId ? { wsClientId: channel.wsClientId } : {}),
			...(grant.session ? { owner: ownerOf(grant.session) } : {}),
		};
		const prepared = await flow.start({ config, template, values, session });
		if ("reason" in prepared) return prepared;
		// Stored last, after every step that can fail: a failed start leaves no session behind.
		await saveSession(db, keyring, prepared.session);
		return { location: prepared.location, state: prepared.session.state, cookie: cookie.value };
	} catch (error) {
		if (error instanceof UrlParamError || error instanceof ConnectionParamError) {
			return { reason: "url_param", detail: error.message };
		}
		throw error;
	}
}

/** The session's authorization parameters and user scopes join the template's (Slack `user_scope`). */
function withSessionParams(
	template: ProviderTemplate,
	session: ConnectSession | undefined,
	providerConfigKey: string,
): ProviderTemplate {
	const defaults = session?.integrationsConfigDefaults[providerConfigKey];
	if (!defaults?.authorization_params && defaults?.user_scopes === undefined) return template;
	return {
		...template,
		authorization_params: {
			...template.authorization_params,
			...defaults.authorization_params,
			...(defaults.user_scopes === undefined ? {} : { user_scope: defaults.user_scopes }),
		},
	};
}

/**
 * Every placeholder the flow will fill, filled once now: a missing value is reported before
 * anything is stored or fetched, not after the user has logged in. Names the provider's redirect
 * will supply (`learns`) get a stand-in.
 */
function checkPlaceholders(
	template: ProviderTemplate,
	given: Record<string, string>,
	learns: readonly string[],
): void {
	const values = { ...Object.fromEntries(learns.map((name) => [name, "learned"])), ...given };
	const texts = [
		template.authorization_url,
		template.token_url,
		template.refresh_url,
		template.request_url,
		...Object.values(template.authorization_params ?? {}),
		...Object.values(template.token_params ?? {}),
		...Object.values(template.refresh_params ?? {}),
	];
	for (const text of texts) if (text !== undefined) fillPlaceholders(text, values);
}
