/**
 * The start of a flow, `GET /oauth/connect/:provider_config_key` (docs/flows.md#connect): checks,
 * config and template, connection config, a sealed single-use session, then the provider's URL
 * (each auth mode's `flow.start`: OAuth 2 with PKCE S256, OAuth 1.0a after a request token).
 */
import * as v from "valibot";
import { authMode } from "../auth-modes/registry";
import { keyringFrom } from "../crypto/cipher";
import { database } from "../db/client";
import { findConfig } from "../db/configs";
import { saveSession } from "../db/sessions";
import type { Bindings } from "../env";
import { connectionIdSchema, providerConfigKeySchema } from "../input/identifiers";
import { resolveTemplate } from "../providers/catalog";
import {
	fillPlaceholders,
	placeholderValues,
	resolveConnectionConfig,
	UrlParamError,
} from "../providers/placeholders";
import type { ProviderTemplate } from "../providers/template";
import { callbackUrl } from "./callback-url";
import type { FlowFailure } from "./failure";
import { checkConnectGuards } from "./guard";
import { ConnectionParamError, connectionParams } from "./params";
import { type FlowContext, WS_CLIENT_ID } from "./result-message";
import type { SessionInput } from "./session";

export interface ConnectRequest {
	providerConfigKey: string;
	/** the full request URL: its query and, for the default callback URL, its origin */
	url: string;
}

export type StartResult =
	| { ok: true; location: string }
	| { ok: false; failure: FlowFailure; context: FlowContext };

export async function startFlow(env: Bindings, request: ConnectRequest): Promise<StartResult> {
	const query = new URL(request.url).searchParams;
	// Only the worker issues ws_client_ids (UUIDs); a malformed one names no channel.
	const wsClientId = query.get("ws_client_id") ?? "";
	const connectionId = query.get("connection_id") ?? "";
	const context: FlowContext = {
		providerConfigKey: request.providerConfigKey,
		...(connectionId ? { connectionId } : {}),
		...(WS_CLIENT_ID.test(wsClientId) ? { wsClientId } : {}),
	};
	try {
		const result = await start(env, request, query, context);
		return typeof result === "string"
			? { ok: true, location: result }
			: { ok: false, failure: result, context };
	} catch (error) {
		console.error(`oauth connect failed: ${error instanceof Error ? error.name : "error"}`);
		return { ok: false, failure: { reason: "unexpected" }, context };
	}
}

/** The provider URL to redirect to, or why not. */
async function start(
	env: Bindings,
	request: ConnectRequest,
	query: URLSearchParams,
	context: FlowContext,
): Promise<string | FlowFailure> {
	const providerConfigKey = request.providerConfigKey;
	const connectionId = v.safeParse(connectionIdSchema, query.get("connection_id") ?? "");
	if (!connectionId.success) {
		return { reason: context.connectionId ? "invalid_connection_id" : "missing_connection_id" };
	}
	const guard = await checkConnectGuards(env, {
		providerConfigKey,
		connectionId: connectionId.output,
		publicKey: query.get("public_key") ?? query.get("pizzly_pkey") ?? undefined,
		hmac: query.get("hmac") ?? undefined,
	});
	if (guard) return guard;
	if (!v.is(providerConfigKeySchema, providerConfigKey))
		return { reason: "unknown_config", providerConfigKey };

	const db = database(env.DB);
	const keyring = await keyringFrom(env);
	const config = await findConfig(db, keyring, providerConfigKey);
	if (!config) return { reason: "unknown_config", providerConfigKey };
	const template = resolveTemplate(config.provider, config.template);
	if (!template) return { reason: "no_template", provider: config.provider };

	try {
		const params = connectionParams(query);
		const values = resolveConnectionConfig(template, placeholderValues(params));
		checkPlaceholders(template, values);
		const session: SessionInput = {
			providerConfigKey,
			connectionId: connectionId.output,
			authMode: template.auth_mode,
			redirectUri: callbackUrl(env, request.url),
			connectionConfig: { ...params, ...values },
			...(context.wsClientId ? { wsClientId: context.wsClientId } : {}),
		};
		const flow = authMode(template.auth_mode).flow;
		if (!flow) return { reason: "no_template", provider: config.provider };
		const prepared = await flow.start({ config, template, values, session });
		if ("reason" in prepared) return prepared;
		// Stored last, after every step that can fail: a failed start leaves no session behind.
		await saveSession(db, keyring, prepared.session);
		return prepared.location;
	} catch (error) {
		if (error instanceof UrlParamError || error instanceof ConnectionParamError) {
			return { reason: "url_param", detail: error.message };
		}
		throw error;
	}
}

/**
 * Every placeholder the flow will fill, filled once now: a missing value is reported before
 * anything is stored or fetched, not after the user has logged in.
 */
function checkPlaceholders(template: ProviderTemplate, values: Record<string, string>): void {
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
