/**
 * Calls to a provider's API through the worker's proxy (`/proxy/*`, docs/proxy.md), with the
 * configuration shape of today's `@nangohq/node` (`proxy`, `get`, `post`…): the worker injects
 * the connection's credentials, so this process never holds a token.
 *
 * @example
 * const { status, data } = await nango.get({ endpoint: "/user", providerConfigKey: "github", connectionId: "alice" });
 */
import { NangoNetworkError, NangoTimeoutError } from "./errors.js";
import type { FetchFunction } from "./transport.js";

export interface ProxyConfiguration {
	/** the path under the provider's base URL, e.g. `/user` */
	endpoint: string;
	providerConfigKey: string;
	connectionId: string;
	/** default GET */
	method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | (string & {});
	/** sent to the provider as they are (as `Nango-Proxy-<Name>` to the worker) */
	headers?: Record<string, string>;
	/** query parameters, or a query string */
	params?: string | Record<string, string | number>;
	/** a plain object or array is sent as JSON; strings, bytes, streams and forms as they are */
	data?: unknown;
	/** extra attempts after a 429 or 5xx (0-10), waiting as the provider says */
	retries?: number;
	/** further statuses worth retrying */
	retryOn?: number[] | null;
	/** another base URL, honoured only for hosts the worker's operator allows */
	baseUrlOverride?: string;
	/** answer the body decoded even when the provider compressed it */
	decompress?: boolean;
	/** how `data` is answered: parsed JSON when it parses, else text (default), or raw */
	responseType?: "json" | "text" | "arraybuffer" | "stream";
}

export interface ProxyResponse<T = unknown> {
	/** the provider's status; or the worker's own 4xx/5xx when it refused the call (`data.error`) */
	status: number;
	statusText: string;
	headers: Record<string, string>;
	data: T;
}

export interface ProxyTarget {
	host: string;
	secretKey: string | undefined;
	fetch: FetchFunction | undefined;
	/** how long the worker may take to start answering; the body then streams for as long as it takes */
	timeoutMs: number;
}

export async function proxyCall<T>(
	target: ProxyTarget,
	config: ProxyConfiguration,
): Promise<ProxyResponse<T>> {
	if (!config.endpoint) throw new TypeError("proxy: endpoint is required.");
	const url = new URL(`${target.host}/proxy${config.endpoint.startsWith("/") ? "" : "/"}${config.endpoint}`);
	if (typeof config.params === "string") {
		url.search = config.params.replace(/^\?/, "");
	} else {
		for (const [name, value] of Object.entries(config.params ?? {}))
			url.searchParams.set(name, String(value));
	}
	const headers = new Headers({
		"Connection-Id": config.connectionId,
		"Provider-Config-Key": config.providerConfigKey,
	});
	if (target.secretKey) headers.set("Authorization", `Bearer ${target.secretKey}`);
	for (const [name, value] of Object.entries(config.headers ?? {})) {
		headers.set(`Nango-Proxy-${name}`, value);
		if (name.toLowerCase() === "content-type") headers.set("Content-Type", value);
	}
	if (config.retries) headers.set("Retries", String(config.retries));
	if (config.retryOn?.length) headers.set("Retry-On", config.retryOn.join(","));
	if (config.baseUrlOverride) headers.set("Base-Url-Override", config.baseUrlOverride);
	if (config.decompress) headers.set("Decompress", "true");
	const body = requestBody(config.data, headers);
	const init: RequestInit & { duplex?: "half" } = {
		method: (config.method ?? "GET").toUpperCase(),
		headers,
		...(body === undefined ? {} : { body }),
		...(body instanceof ReadableStream ? { duplex: "half" } : {}),
	};
	const response = await withTimeout(target, url.href, init);
	return {
		status: response.status,
		statusText: response.statusText,
		headers: headerRecord(response.headers),
		data: (await responseData(response, config.responseType ?? "json")) as T,
	};
}

function requestBody(data: unknown, headers: Headers): BodyInit | undefined {
	if (data === undefined || data === null) return undefined;
	if (
		typeof data === "string" ||
		data instanceof ArrayBuffer ||
		ArrayBuffer.isView(data) ||
		data instanceof Blob ||
		data instanceof ReadableStream ||
		data instanceof FormData ||
		data instanceof URLSearchParams
	) {
		return data as BodyInit;
	}
	if (!headers.has("Content-Type")) headers.set("Content-Type", "application/json");
	return JSON.stringify(data);
}

/** The timeout covers the answer's headers only: a large download streams for as long as it takes. */
async function withTimeout(target: ProxyTarget, url: string, init: RequestInit): Promise<Response> {
	const controller = new AbortController();
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		controller.abort(new DOMException("The request timed out.", "TimeoutError"));
	}, target.timeoutMs);
	try {
		const request = { ...init, signal: controller.signal };
		return await (target.fetch ? target.fetch(new Request(url, request)) : fetch(url, request));
	} catch (error) {
		const where = `${init.method} ${url}`;
		if (timedOut)
			throw new NangoTimeoutError(`${where} did not answer within ${target.timeoutMs} ms.`, error);
		throw new NangoNetworkError(
			`Could not reach ${where}: ${error instanceof Error ? error.message : error}`,
			error,
		);
	} finally {
		clearTimeout(timer);
	}
}

async function responseData(response: Response, type: NonNullable<ProxyConfiguration["responseType"]>) {
	switch (type) {
		case "stream":
			return response.body;
		case "arraybuffer":
			return response.arrayBuffer();
		case "text":
			return response.text();
		case "json": {
			const text = await response.text();
			try {
				return text === "" ? "" : JSON.parse(text);
			} catch {
				return text;
			}
		}
	}
}

/** Names in lower case, as axios answers them. */
function headerRecord(headers: Headers): Record<string, string> {
	const record: Record<string, string> = {};
	headers.forEach((value, name) => {
		record[name] = value;
	});
	return record;
}
