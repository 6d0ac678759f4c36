/**
 * The result WebSocket of @nangohq/frontend 0.9.0 (docs/flows.md#websocket): an upgrade on `/` gets a fresh
 * ws_client_id and is handed to that id's `ResultChannel` Durable Object, which acks at once.
 * A page may reconnect to its channel with `/?ws_client_id=<id>` (a result waits there briefly),
 * but only to an id the worker issued.
 * Requests that are not upgrades fall through to the health route.
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { WS_CLIENT_ID } from "../flow/result-message";

export const resultSocket = createMiddleware<AppEnv>(async (c, next) => {
	if (c.req.header("upgrade")?.toLowerCase() !== "websocket") return next();
	const requested = c.req.query("ws_client_id");
	if (requested !== undefined && !WS_CLIENT_ID.test(requested)) throw new ApiError("invalid_ws_client_id");
	// A requested id is a reconnection, which the channel accepts only if the worker issued it.
	const wsClientId = requested ?? crypto.randomUUID();
	const url = new URL(c.req.url);
	url.search = new URLSearchParams({
		ws_client_id: wsClientId,
		...(requested === undefined ? { fresh: "1" } : {}),
	}).toString();
	const channel = c.env.RESULT_CHANNEL.get(c.env.RESULT_CHANNEL.idFromName(wsClientId));
	return channel.fetch(new Request(url, c.req.raw));
});
