/**
 * OAuth 1.0a request signing, HMAC-SHA1 (RFC 5849 §3.4). Hand-written on WebCrypto: the
 * maintained Node libraries (`oauth-1.0a`, `oauth`) sign with `node:crypto` or a bundled SHA-1
 * and none targets Workers; the algorithm is a page of the RFC.
 *
 * @example
 * const header = await oauth1Authorization({
 *   method: "POST", url: "https://api.twitter.com/oauth/request_token",
 *   consumerKey, consumerSecret, oauthParams: { oauth_callback: callback },
 * });
 */
import { toHex } from "../../crypto/hex";

export interface SignInput {
	method: string;
	/** the request URL; its query parameters are signed too (§3.4.1.3.1) */
	url: string;
	consumerKey: string;
	consumerSecret: string;
	token?: string;
	tokenSecret?: string;
	/** protocol parameters of this step: oauth_callback (§2.1), oauth_verifier (§2.3) */
	oauthParams?: Record<string, string>;
	/** form-encoded body parameters, when the request has such a body (§3.4.1.3.1) */
	bodyParams?: Array<[string, string]>;
	/** fixed in tests (signature vectors); random and now otherwise */
	nonce?: string;
	timestamp?: string;
}

/** The `Authorization: OAuth …` header value (§3.5.1), signature included. */
export async function oauth1Authorization(input: SignInput): Promise<string> {
	const protocol: Record<string, string> = {
		oauth_consumer_key: input.consumerKey,
		oauth_nonce: input.nonce ?? randomNonce(),
		oauth_signature_method: "HMAC-SHA1",
		oauth_timestamp: input.timestamp ?? String(Math.floor(Date.now() / 1000)),
		oauth_version: "1.0",
		...(input.token === undefined ? {} : { oauth_token: input.token }),
		...input.oauthParams,
	};
	const url = new URL(input.url);
	const base = signatureBaseString(input.method, input.url, [
		...url.searchParams,
		...(input.bodyParams ?? []),
		...Object.entries(protocol),
	]);
	protocol.oauth_signature = await hmacSha1(base, input.consumerSecret, input.tokenSecret ?? "");
	const fields = Object.entries(protocol).map(
		([name, value]) => `${percentEncode(name)}="${percentEncode(value)}"`,
	);
	return `OAuth ${fields.join(", ")}`;
}

/** §3.4.1: METHOD & encoded base URI & encoded normalized parameters. */
export function signatureBaseString(method: string, url: string, params: Array<[string, string]>): string {
	const parsed = new URL(url);
	// §3.4.1.2: lowercase scheme and host, default port dropped (URL does both), no query or fragment.
	const baseUri = `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
	const normalized = params
		.map(([name, value]) => [percentEncode(name), percentEncode(value)] as const)
		.sort(([an, av], [bn, bv]) => (an === bn ? compare(av, bv) : compare(an, bn)))
		.map(([name, value]) => `${name}=${value}`)
		.join("&");
	return [method.toUpperCase(), percentEncode(baseUri), percentEncode(normalized)].join("&");
}

/** §3.4.2: key = encoded consumer secret & encoded token secret; base64 of the digest. */
export async function hmacSha1(
	baseString: string,
	consumerSecret: string,
	tokenSecret: string,
): Promise<string> {
	const encoder = new TextEncoder();
	const key = await crypto.subtle.importKey(
		"raw",
		encoder.encode(`${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`),
		{ name: "HMAC", hash: "SHA-1" },
		false,
		["sign"],
	);
	const digest = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(baseString)));
	let binary = "";
	for (const byte of digest) binary += String.fromCharCode(byte);
	return btoa(binary);
}

/** §3.6: everything but ALPHA DIGIT - . _ ~ as %XX (uppercase) of its UTF-8 bytes. */
export function percentEncode(value: string): string {
	return encodeURIComponent(value).replace(
		/[!'()*]/g,
		(ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
	);
}

// Encoded parameters are ASCII: code-unit order is the byte order §3.4.1.3.2 asks for.
function compare(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

function randomNonce(): string {
	return toHex(crypto.getRandomValues(new Uint8Array(16)));
}
