/**
 * `ALL /proxy/*` (docs/proxy.md): calls the provider's API for a connection with its
 * credentials, so the caller never holds a token. Bodies stream both ways; only a small body is
 * kept, to replay the call after a 401 refresh or a retry.
 */
import { Hono } from "hono";
import { inBackground, readConnection } from "../connections/read";
import { connectionTemplate } from "../connections/template";
import { keyringFrom } from "../crypto/cipher";
import { database } from "../db/client";
import { type Config, getConfig } from "../db/configs";
import type { Connection } from "../db/connections";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import type { ProviderTemplate } from "../providers/template";
import { proxyCall } from "../proxy/caller-input";
import { forward } from "../proxy/forward";
import { downstreamHeaders, upstreamHeaders } from "../proxy/headers";
import { outgoingBody } from "../proxy/request-body";
import { NO_CLIENT } from "../proxy/upstream";

export const proxyRoutes = new Hono<AppEnv>().all("/*", async (c) => {
	const call = proxyCall(c.req.raw, c.env.NANGO_PROXY_ALLOWED_HOSTS);
	const waitUntil = inBackground(c);
	const connection = await readConnection(c.env, call.providerConfigKey, call.connectionId, {
		forceRefresh: false,
		waitUntil,
	});
	const template = connectionTemplate(connection);
	if (!template) throw new ApiError("unknown_provider_template");
	let config: Promise<Config> | undefined;
	const response = await forward({
		env: c.env,
		call,
		template,
		connection,
		// One D1 read, and only when the mode or the template uses the integration's client.
		client: async (current) => {
			if (!usesClient(current, template)) return NO_CLIENT;
			config ??= keyringFrom(c.env).then((keyring) =>
				getConfig(database(c.env.DB), keyring, call.providerConfigKey),
			);
			return config;
		},
		method: c.req.method,
		headers: upstreamHeaders(c.req.raw.headers),
		body: await outgoingBody(c.req.raw),
		waitUntil,
	});
	return new Response(response.body, {
		status: response.status,
		statusText: response.statusText,
		headers: downstreamHeaders(response.headers, call.decompress),
	});
});

/** OAuth 1.0a signs with the client; an OAuth 2 template may name `${clientId}` or `${clientSecret}`. */
function usesClient(connection: Connection, template: ProviderTemplate): boolean {
	switch (connection.credentials.type) {
		case "OAUTH1":
			return true;
		case "OAUTH2":
			return /\$\{client(Id|Secret)\}/.test(JSON.stringify(template.proxy ?? {}));
		case "OAUTH2_CC":
		case "API_KEY":
		case "BASIC":
		case "APP":
			return false;
	}
}
