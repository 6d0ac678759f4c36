/**
 * The one way the worker calls a provider (token endpoints, OAuth 1.0a steps, and later API
 * requests): redirects are never followed, every call has a timeout and a cap on what is read,
 * carries our User-Agent, and fails as a value, never as a throw.
 *
 * @example
 * const answer = await callProvider(request, { maxBytes: 256 * 1024 });
 * if (!answer.ok) return answer; // network, timeout, unexpected_status (3xx), unexpected_body (too large)
 * const data = decodeBody(answer.body);
 */

import { readCappedText } from "../capped-text";

export const USER_AGENT = "nango-edge/0.1 (OAuth token manager)";

/** Why a call to a provider gave no usable answer. */
export type ProviderFailure =
	| { ok: false; reason: "provider_error"; error: string; description?: string; status: number }
	| { ok: false; reason: "unexpected_status"; status: number }
	| { ok: false; reason: "unexpected_body"; status: number }
	| { ok: false; reason: "network" | "timeout"; message: string };

export interface ProviderAnswer {
	ok: true;
	status: number;
	body: string;
}

export interface CallOptions {
	/** the most bytes read from the body; a larger body is `unexpected_body` */
	maxBytes: number;
	/** default 10 s */
	timeoutMs?: number;
}

export async function callProvider(
	request: Request,
	options: CallOptions,
): Promise<ProviderAnswer | ProviderFailure> {
	// A copy: the caller's request (possibly one with immutable headers) is left as it was.
	const outbound = new Request(request);
	if (!outbound.headers.has("User-Agent")) outbound.headers.set("User-Agent", USER_AGENT);
	let response: Response;
	try {
		// workerd rejects redirect: "error". A provider endpoint that redirects is misconfigured,
		// and following it could carry a client secret, a code or a token to another host.
		response = await fetch(outbound, {
			redirect: "manual",
			signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
		});
	} catch (error) {
		return fetchFailure(error);
	}
	if (response.status >= 300 && response.status < 400) {
		await response.body?.cancel();
		return { ok: false, reason: "unexpected_status", status: response.status };
	}
	let body: string | undefined;
	try {
		body = await readCappedText(response.body, options.maxBytes);
	} catch (error) {
		return fetchFailure(error);
	}
	if (body === undefined) return { ok: false, reason: "unexpected_body", status: response.status };
	return { ok: true, status: response.status, body };
}

/**
 * A provider's answer as an object: JSON, or a form-encoded body (GitHub when it ignores Accept,
 * Facebook's old `access_token=`, OAuth 1.0a's own format, RFC 5849 §2.1).
 */
export function decodeBody(body: string): Record<string, unknown> | undefined {
	const text = body.trim();
	if (text.startsWith("{")) {
		try {
			const value: unknown = JSON.parse(text);
			return isRecord(value) ? value : undefined;
		} catch {
			return undefined;
		}
	}
	if (/^[^\s=&]+=/.test(text)) return Object.fromEntries(new URLSearchParams(text));
	return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A fetch (or body read) that threw: a timeout or a network failure. */
function fetchFailure(error: unknown): Extract<ProviderFailure, { reason: "network" | "timeout" }> {
	const name = error instanceof Error ? error.name : "";
	const message = error instanceof Error ? error.message : String(error);
	// AbortSignal.timeout aborts with a TimeoutError DOMException (some runtimes report AbortError).
	if (name === "TimeoutError" || name === "AbortError") return { ok: false, reason: "timeout", message };
	return { ok: false, reason: "network", message };
}
