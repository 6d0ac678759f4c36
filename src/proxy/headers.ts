/**
 * Which headers cross the proxy (docs/proxy.md#headers). Going up: only what the caller names
 * `Nango-Proxy-<Name>` (sent as `<Name>`) and its body's `Content-Type`; never its own
 * `Authorization` (the worker's secret key), cookies or anything else. Coming back: the
 * provider's headers minus the hop-by-hop ones and `Set-Cookie`.
 */

const PREFIX = "nango-proxy-";

/**
 * RFC 9110 §7.6.1: connection-specific fields describe one hop, not the message; `Proxy-*` are
 * for a proxy the caller chose, not the provider.
 */
const HOP_BY_HOP = new Set([
	"connection",
	"keep-alive",
	"proxy-connection",
	"proxy-authenticate",
	"proxy-authorization",
	"te",
	"trailer",
	"transfer-encoding",
	"upgrade",
]);

/** Never sent up even when named: the runtime writes these for the request it actually sends. */
const RUNTIME_SET = new Set(["host", "content-length"]);

/** The headers the provider receives from the caller (the credentials are added afterwards). */
export function upstreamHeaders(incoming: Headers): Headers {
	const out = new Headers();
	for (const [name, value] of incoming) {
		if (!name.startsWith(PREFIX)) continue;
		const target = name.slice(PREFIX.length);
		if (target === "" || HOP_BY_HOP.has(target) || RUNTIME_SET.has(target)) continue;
		out.set(target, value);
	}
	const type = incoming.get("content-type");
	if (type !== null && !out.has("content-type")) out.set("content-type", type);
	return out;
}

/**
 * The headers the caller receives. With `decompress`, the body goes out decoded (the runtime
 * decodes what it fetched), so its encoding and length no longer describe it; without, the
 * runtime encodes the body again as `Content-Encoding` says, and the length is its to write.
 */
export function downstreamHeaders(upstream: Headers, decompress: boolean): Headers {
	const named = new Set(
		(upstream.get("connection") ?? "")
			.split(",")
			.map((name) => name.trim().toLowerCase())
			.filter(Boolean),
	);
	const out = new Headers();
	for (const [name, value] of upstream) {
		if (HOP_BY_HOP.has(name) || named.has(name) || name === "set-cookie") continue;
		out.append(name, value);
	}
	if (out.has("content-encoding")) {
		out.delete("content-length");
		if (decompress) out.delete("content-encoding");
	}
	return out;
}
