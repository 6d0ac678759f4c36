/**
 * The attempts of one proxied call (docs/proxy.md): build the provider request with the
 * connection's current credentials, send it, and on a 401 refresh once through the connection's
 * Durable Object and try again; with `Retries: n`, try again after a 429, a 5xx or a `Retry-On`
 * status. Only a replayable body (none, or a small one kept in memory) is ever sent twice.
 */
import { canRefresh } from "../auth-modes/registry";
import { bearerTokenOf } from "../connections/credentials";
import { readConnection } from "../connections/read";
import type { Config } from "../db/configs";
import type { Connection } from "../db/connections";
import type { Bindings } from "../env";
import { ApiError } from "../errors";
import type { ProviderTemplate } from "../providers/template";
import { checkScheme, type ProxyCall } from "./caller-input";
import { bodyInit, type OutgoingBody, replayable } from "./request-body";
import { isRetryable, retryWait } from "./retry";
import { send } from "./send";
import { type UpstreamRefusal, upstreamRequest } from "./upstream";

export interface Forwarding {
	env: Bindings;
	call: ProxyCall;
	template: ProviderTemplate;
	/** the integration's client, read only for the modes and templates that use it */
	client: (connection: Connection) => Promise<Pick<Config, "oauthClientId" | "oauthClientSecret">>;
	connection: Connection;
	method: string;
	headers: Headers;
	body: OutgoingBody;
	waitUntil: (promise: Promise<unknown>) => void;
}

export async function forward(input: Forwarding): Promise<Response> {
	const canReplay = replayable(input.body);
	let connection = input.connection;
	let refreshed = false;
	for (let retries = 0; ; ) {
		const built = await upstreamRequest({
			template: input.template,
			config: await input.client(connection),
			credentials: connection.credentials,
			connectionConfig: connection.connectionConfig,
			method: input.method,
			path: input.call.path,
			search: input.call.search,
			headers: input.headers,
			body: bodyInit(input.body),
			...(input.call.baseUrl === undefined ? {} : { baseUrl: input.call.baseUrl }),
		});
		if (!built.ok) throw refusalError(built);
		checkScheme(new URL(built.request.url));
		const sent = await send(built.request);
		if (!sent.ok) throw new ApiError(sent.reason === "timeout" ? "proxy_timeout" : "proxy_unreachable");
		const { response } = sent;
		if (!canReplay) return response;
		// RFC 6750 §3.1: 401 means the token is invalid or expired, whatever its expiry said.
		if (response.status === 401 && !refreshed && canRefresh(connection.credentials)) {
			await response.body?.cancel();
			refreshed = true;
			connection = await renewedAfter401(input, connection);
			continue;
		}
		if (retries < input.call.retry.retries && isRetryable(response.status, input.call.retry)) {
			const wait = retryWait(response.headers, input.template.proxy?.retry, retries, Date.now());
			await response.body?.cancel();
			retries += 1;
			await new Promise((resolve) => setTimeout(resolve, wait));
			continue;
		}
		return response;
	}
}

/**
 * A connection whose token the provider has not refused: a refresh through the connection's
 * Durable Object, made only while the connection still holds the refused token, so concurrent
 * 401s (and late ones, after another caller's refresh) make one provider call between them.
 */
function renewedAfter401(input: Forwarding, refused: Connection): Promise<Connection> {
	const { env, call, waitUntil } = input;
	return readConnection(env, call.providerConfigKey, call.connectionId, {
		forceRefresh: true,
		refusedToken: bearerTokenOf(refused.credentials),
		waitUntil,
	});
}

function refusalError(refusal: UpstreamRefusal): ApiError {
	switch (refusal.reason) {
		case "no_base_url":
			return new ApiError("missing_proxy_base_url");
		case "unresolved_base_url":
			return new ApiError(
				"missing_proxy_base_url",
				"The proxy base URL names connection config values this connection does not have.",
			);
		case "path_escape":
			return new ApiError("invalid_proxy_path");
	}
}
