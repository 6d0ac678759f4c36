/**
 * The three wire forms of a flow's result (docs/flows.md#reporting-the-result), built from one outcome:
 * - the legacy popup message of Pizzly 0.5.2 and @nangohq/frontend 0.8.0 (`eventType`, sic
 *   "SUCEEDED"), with `integrationKey` beside `providerConfigKey` for the Pizzly document;
 * - the WebSocket message of @nangohq/frontend 0.9.0 (`message_type`).
 * Neither carries a token or anything secret: only ids the page chose and the error.
 */
import { describeFailure, type FlowError, type FlowFailure } from "./failure";

/** What the page knew when the flow ended; ids are absent when the flow failed before knowing them. */
export interface FlowContext {
	providerConfigKey?: string;
	connectionId?: string;
	wsClientId?: string;
}

export type FlowOutcome =
	| { ok: true; providerConfigKey: string; connectionId: string; wsClientId?: string }
	| { ok: false; failure: FlowFailure; context: FlowContext };

/** What the channel delivers when a flow ends. */
export type ResultMessage =
	| { message_type: "success"; provider_config_key: string; connection_id: string }
	| {
			message_type: "error";
			provider_config_key?: string;
			connection_id?: string;
			error_type: string;
			error_desc: string;
	  };

/** Everything the server sends on the socket: the ack first, then one result. */
export type SocketMessage = { message_type: "connection_ack"; ws_client_id: string } | ResultMessage;

export interface PopupMessage {
	eventType: "AUTHORIZATION_SUCEEDED" | "AUTHORIZATION_FAILED";
	data: { connectionId?: string; providerConfigKey?: string; integrationKey?: string; error?: FlowError };
}

export function popupMessage(outcome: FlowOutcome): PopupMessage {
	if (outcome.ok) {
		return {
			eventType: "AUTHORIZATION_SUCEEDED",
			data: {
				connectionId: outcome.connectionId,
				providerConfigKey: outcome.providerConfigKey,
				integrationKey: outcome.providerConfigKey,
			},
		};
	}
	const { connectionId, providerConfigKey } = outcome.context;
	return {
		eventType: "AUTHORIZATION_FAILED",
		data: {
			...(connectionId === undefined ? {} : { connectionId }),
			...(providerConfigKey === undefined ? {} : { providerConfigKey, integrationKey: providerConfigKey }),
			error: describeFailure(outcome.failure).error,
		},
	};
}

export function socketMessage(outcome: FlowOutcome): ResultMessage {
	if (outcome.ok) {
		return {
			message_type: "success",
			provider_config_key: outcome.providerConfigKey,
			connection_id: outcome.connectionId,
		};
	}
	const { connectionId, providerConfigKey } = outcome.context;
	const error = describeFailure(outcome.failure).error;
	return {
		message_type: "error",
		...(providerConfigKey === undefined ? {} : { provider_config_key: providerConfigKey }),
		...(connectionId === undefined ? {} : { connection_id: connectionId }),
		error_type: error.type,
		error_desc: error.message,
	};
}

export function wsClientIdOf(outcome: FlowOutcome): string | undefined {
	return outcome.ok ? outcome.wsClientId : outcome.context.wsClientId;
}

/** ws_client_ids are UUIDs the worker issued; anything else is never used as a channel name. */
export const WS_CLIENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
