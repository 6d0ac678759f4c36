/**
 * The worker's result WebSocket (the protocol of @nangohq/frontend 0.9, docs/flows.md#websocket): the server
 * acknowledges with a `ws_client_id` that the popup carries to /oauth/connect, and sends
 * `success` or `error` when the callback has stored the connection. It works when the popup has
 * no `window.opener` left (COOP), unlike postMessage.
 *
 * A socket that drops after the acknowledgement reconnects with `/?ws_client_id=<id>`: the
 * worker keeps a delivered result for a few minutes for exactly that.
 */
import { failed, fields, type Outcome, succeeded } from "./outcome.js";

export interface SocketHandlers {
	/** the server is listening for this flow's result under `wsClientId` */
	ready(wsClientId: string): void;
	/** no socket before the acknowledgement (old server, proxy without upgrades, mixed content) */
	unavailable(): void;
	result(outcome: Outcome): void;
}

const MAX_RETRY_DELAY_MS = 10_000;

export function openResultSocket(host: URL, handlers: SocketHandlers): () => void {
	let wsClientId: string | undefined;
	let socket: WebSocket | undefined;
	let retry: ReturnType<typeof setTimeout> | undefined;
	let failures = 0;

	const connect = () => {
		const url = new URL(host.href);
		url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
		if (wsClientId) url.searchParams.set("ws_client_id", wsClientId);
		try {
			socket = new WebSocket(url.href);
		} catch {
			socket = undefined;
			return handlers.unavailable();
		}
		socket.onmessage = (event) => {
			const message = parse(event.data);
			if (message?.message_type === "connection_ack" && typeof message.ws_client_id === "string") {
				failures = 0;
				if (wsClientId) return;
				wsClientId = message.ws_client_id;
				handlers.ready(wsClientId);
			} else if (message?.message_type === "success") {
				handlers.result(succeeded(message.connection_id));
			} else if (message?.message_type === "error") {
				handlers.result(failed(message.error_type, message.error_desc));
			}
		};
		// `error` is always followed by `close`.
		socket.onclose = () => {
			if (!wsClientId) return handlers.unavailable();
			retry = setTimeout(connect, Math.min(1000 * 2 ** failures++, MAX_RETRY_DELAY_MS));
		};
	};

	connect();
	return () => {
		clearTimeout(retry);
		if (socket) {
			socket.onmessage = socket.onclose = null;
			socket.close();
		}
	};
}

function parse(data: unknown): Record<string, unknown> | undefined {
	if (typeof data !== "string") return undefined;
	try {
		return fields(JSON.parse(data));
	} catch {
		return undefined;
	}
}
