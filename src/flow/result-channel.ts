/**
 * `ResultChannel`: the Durable Object that carries a flow's result to the page's WebSocket
 * (docs/flows.md#websocket, the protocol of @nangohq/frontend 0.9.0). One object per ws_client_id; the socket
 * is accepted with the Hibernation API, so a page waiting minutes on a provider's login costs
 * nothing while it waits. The callback (any isolate, any machine) calls `deliver()` over RPC.
 *
 * A result is also kept for a few minutes, so a page whose socket dropped (or connected late)
 * gets it on reconnecting with `/?ws_client_id=<its id>`.
 *
 * @example
 * const channel = env.RESULT_CHANNEL.get(env.RESULT_CHANNEL.idFromName(wsClientId));
 * await channel.deliver({ message_type: "success", provider_config_key: "github", connection_id: "u1" });
 */
import { DurableObject } from "cloudflare:workers";
import type { Bindings } from "../env";
import type { ResultMessage, SocketMessage } from "./result-message";

/** A channel outlives the longest flow (10-minute sessions) a little. */
const OPEN_TTL_MS = 15 * 60 * 1000;
/** How long a delivered result waits for a late or reconnecting socket. */
const RESULT_TTL_MS = 5 * 60 * 1000;

export class ResultChannel extends DurableObject<Bindings> {
	/**
	 * Accepts the page's WebSocket. The route passes the channel's id as `ws_client_id`, and
	 * `fresh=1` when it has just issued that id; a page reconnecting to an id the worker never
	 * issued is refused, so no one can listen on a channel they made up.
	 */
	override async fetch(request: Request): Promise<Response> {
		const params = new URL(request.url).searchParams;
		const wsClientId = params.get("ws_client_id");
		if (request.headers.get("upgrade")?.toLowerCase() !== "websocket" || !wsClientId) {
			return new Response("Expected a WebSocket upgrade.", { status: 426 });
		}
		const fresh = params.get("fresh") === "1";
		if (!fresh && !(await this.isIssued())) {
			return Response.json(
				{ error: "ws_client_id names no WebSocket this worker opened.", code: "invalid_ws_client_id" },
				{ status: 400 },
			);
		}
		const stored = await this.ctx.storage.get<ResultMessage>("result");
		if (!stored) {
			// Marks the id as issued before the page learns it: /oauth/connect checks for this mark.
			await this.ctx.storage.put("opened", true);
			await this.ctx.storage.setAlarm(Date.now() + OPEN_TTL_MS);
		}
		const { 0: client, 1: server } = new WebSocketPair();
		this.ctx.acceptWebSocket(server);
		this.#send(server, { message_type: "connection_ack", ws_client_id: wsClientId });
		if (stored) this.#finish(server, stored);
		return new Response(null, { status: 101, webSocket: client });
	}

	/** Whether the worker issued this channel's id (a page opened it, or a result waits in it). */
	async isIssued(): Promise<boolean> {
		if (this.ctx.getWebSockets().length > 0) return true;
		const marks = await this.ctx.storage.get(["opened", "result"]);
		return marks.size > 0;
	}

	/**
	 * Sends the result to the waiting sockets and closes them, and keeps it briefly for a late
	 * one. Returns whether a socket was connected.
	 */
	async deliver(message: ResultMessage): Promise<boolean> {
		const sockets = this.ctx.getWebSockets();
		// Anyone can name a ws_client_id on /oauth/connect: only channels a page opened store results.
		if (sockets.length === 0 && !(await this.ctx.storage.get<boolean>("opened"))) return false;
		await this.ctx.storage.put("result", message);
		await this.ctx.storage.setAlarm(Date.now() + RESULT_TTL_MS);
		for (const socket of sockets) this.#finish(socket, message);
		return sockets.length > 0;
	}

	/** Expiry: the flow is long over; forget it and hang up on whoever still waits. */
	override async alarm(): Promise<void> {
		for (const socket of this.ctx.getWebSockets()) {
			try {
				socket.close(1001, "expired");
			} catch {
				// already closing
			}
		}
		await this.ctx.storage.deleteAll();
	}

	// The page sends nothing in this protocol.
	override webSocketMessage(): void {}

	/** Completes the closing handshake the page started (RFC 6455 §5.5.1). */
	override webSocketClose(socket: WebSocket, code: number): void {
		try {
			// 1005 and 1006 are reported, never sent.
			socket.close(code === 1005 || code === 1006 ? 1000 : code, "bye");
		} catch {
			// already answered
		}
	}

	#finish(socket: WebSocket, message: ResultMessage): void {
		this.#send(socket, message);
		try {
			socket.close(1000, "done");
		} catch {
			// the page closed first
		}
	}

	#send(socket: WebSocket, message: SocketMessage): void {
		try {
			socket.send(JSON.stringify(message));
		} catch {
			// the page is gone; a stored result waits for its reconnection
		}
	}
}
