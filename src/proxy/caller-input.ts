/**
 * What the caller of `/proxy/*` asks for, read from its headers as today's Nango client sends
 * them (docs/proxy.md#headers), checked before anything is read or sent.
 */
import { ApiError } from "../errors";
import { parseInput } from "../input/body";
import { connectionIdSchema, providerConfigKeySchema } from "../input/identifiers";
import { isLoopbackHost } from "../loopback";
import { type RetryPolicy, retryPolicy } from "./retry";

export interface ProxyCall {
	providerConfigKey: string;
	connectionId: string;
	retry: RetryPolicy;
	/** `Base-Url-Override`, already checked against the operator's list */
	baseUrl: string | undefined;
	decompress: boolean;
	/** the path under the base URL, still percent-encoded, and the query string with its `?` */
	path: string;
	search: string;
}

export function proxyCall(request: Request, allowedHosts: string | undefined): ProxyCall {
	const headers = request.headers;
	const key = headers.get("provider-config-key");
	if (!key)
		throw new ApiError(
			"missing_provider_config",
			"Send the integration's key in the Provider-Config-Key header.",
		);
	const id = headers.get("connection-id");
	if (!id)
		throw new ApiError("missing_connection_id", "Send the connection's id in the Connection-Id header.");
	const providerConfigKey = parseInput(providerConfigKeySchema, key, "invalid_query");
	const connectionId = parseInput(connectionIdSchema, id, "invalid_query");
	const retry = retryPolicy(headers.get("retries"), headers.get("retry-on"));
	if (!retry) {
		throw new ApiError(
			"invalid_proxy_header",
			"Retries must be 0-10 and Retry-On a comma-separated list of HTTP statuses.",
		);
	}
	// The published client always sends Base-Url-Override, empty when unset.
	const override = headers.get("base-url-override")?.trim() || undefined;
	// URL.pathname keeps the caller's escapes (the router's path is decoded).
	const url = new URL(request.url);
	return {
		providerConfigKey,
		connectionId,
		retry,
		baseUrl: override === undefined ? undefined : allowedOverride(override, allowedHosts),
		decompress: headers.get("decompress")?.trim().toLowerCase() === "true",
		path: url.pathname.replace(/^\/proxy(?=\/|$)/, ""),
		search: url.search,
	};
}

/** The override when the operator allows its host (NANGO_PROXY_ALLOWED_HOSTS), else a 400. */
function allowedOverride(override: string, allowedHosts: string | undefined): string {
	let url: URL;
	try {
		url = new URL(override);
	} catch {
		throw new ApiError("base_url_override_not_allowed", "Base-Url-Override is not a valid URL.");
	}
	const allowed = hostList(allowedHosts);
	if (!allowed.has(url.host.toLowerCase()) && !allowed.has(url.hostname.toLowerCase())) {
		throw new ApiError("base_url_override_not_allowed");
	}
	checkScheme(url);
	return override;
}

/** Credentials travel over https only; plain http only to loopback (a local API in development). */
export function checkScheme(url: URL): void {
	if (url.protocol === "https:" || (url.protocol === "http:" && isLoopbackHost(url.hostname))) return;
	throw new ApiError(
		"invalid_endpoint",
		"The proxy's base URL must be https:// (http:// only for loopback hosts).",
	);
}

/** `api.example.com, localhost:8080`: hosts (any port) or host:port pairs. */
function hostList(value: string | undefined): Set<string> {
	const hosts = (value ?? "").split(",").map((host) => host.trim().toLowerCase());
	return new Set(hosts.filter(Boolean));
}
