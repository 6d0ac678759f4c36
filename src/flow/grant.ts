/**
 * Who may start a flow, and for which connection (docs/flows.md#who-may-start-a-flow):
 * - a connect session token minted by the app's backend: the worker chooses the connection id
 *   (a UUID), or, for a reconnect session, replaces only the session's connection;
 * - an hmac of `<config key>:<connection id>` from the app's backend (NANGO_HMAC_KEY);
 * - anyone, on a loopback host (`npm run dev`) or where the operator opted in with
 *   NANGO_ALLOW_OPEN_FLOWS=true, as in the early product.
 * And a `ws_client_id` must name a WebSocket this worker opened.
 */
import * as v from "valibot";
import { allowsIntegration, type ConnectSession } from "../connect-sessions/session";
import type { Db } from "../db/client";
import { findConnectSession } from "../db/connect-sessions";
import { connectionConfigOf } from "../db/connections";
import type { Bindings } from "../env";
import { connectionIdSchema } from "../input/identifiers";
import { isLoopbackHost } from "../loopback";
import type { FlowFailure } from "./failure";
import { checkConnectGuards } from "./guard";
import { WS_CLIENT_ID } from "./result-message";

export interface ConnectionGrant {
	connectionId: string;
	/** the connect session the flow runs under */
	session?: ConnectSession;
	/** a reconnect keeps the connection's own config (host values an import or session set) */
	existingConfig?: Record<string, unknown>;
}

export interface GrantRequest {
	providerConfigKey: string;
	query: URLSearchParams;
	requestUrl: string;
}

export async function grantConnection(
	env: Bindings,
	db: Db,
	request: GrantRequest,
): Promise<ConnectionGrant | FlowFailure> {
	const { providerConfigKey, query } = request;
	const token = query.get("connect_session_token");
	if (token !== null) {
		if (query.has("connection_id")) return { reason: "connection_id_with_session" };
		const session = await findConnectSession(db, token);
		if (!session) return { reason: "invalid_connect_session" };
		if (!allowsIntegration(session, providerConfigKey))
			return { reason: "integration_not_allowed", providerConfigKey };
		if (!session.reconnect) return { connectionId: crypto.randomUUID(), session };
		const { connectionId } = session.reconnect;
		const existingConfig = await connectionConfigOf(db, providerConfigKey, connectionId);
		return { connectionId, session, ...(existingConfig ? { existingConfig } : {}) };
	}

	const connectionId = v.safeParse(connectionIdSchema, query.get("connection_id") ?? "");
	if (!connectionId.success) {
		return { reason: query.get("connection_id") ? "invalid_connection_id" : "missing_connection_id" };
	}
	const guard = await checkConnectGuards(env, {
		providerConfigKey,
		connectionId: connectionId.output,
		publicKey: query.get("public_key") ?? query.get("pizzly_pkey") ?? undefined,
		hmac: query.get("hmac") ?? undefined,
	});
	if (guard) return guard;
	const hmacChecked = Boolean(env.NANGO_HMAC_KEY?.trim());
	const open =
		isLoopbackHost(new URL(request.requestUrl).hostname) || env.NANGO_ALLOW_OPEN_FLOWS?.trim() === "true";
	if (!hmacChecked && !open) return { reason: "missing_connect_session_token" };
	return { connectionId: connectionId.output };
}

/**
 * The flow's `ws_client_id`, if it sent one: only the worker issues them, so one it never opened
 * names no channel (docs/flows.md#websocket).
 */
export async function issuedWsClientId(
	env: Bindings,
	query: URLSearchParams,
): Promise<{ wsClientId?: string } | FlowFailure> {
	const wsClientId = query.get("ws_client_id");
	if (wsClientId === null) return {};
	if (!WS_CLIENT_ID.test(wsClientId)) return { reason: "invalid_ws_client_id" };
	const channel = env.RESULT_CHANNEL.get(env.RESULT_CHANNEL.idFromName(wsClientId));
	return (await channel.isIssued()) ? { wsClientId } : { reason: "invalid_ws_client_id" };
}
