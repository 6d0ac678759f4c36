/**
 * Sends a token request built by `token-request.ts` and reads the answer into a `TokenResult`:
 * no redirects, a timeout, failures as values (network, timeout, status, body, provider error).
 * The OAuth 1.0a steps (`oauth/oauth1.ts`) read their answers with the same two helpers.
 */
import type { ProviderTemplate } from "./template";
import { type ParseOptions, parseTokenResponse, type TokenFailure, type TokenResult } from "../auth-modes/oauth2/token-response";

export interface SendOptions extends ParseOptions {
	/** default 10 s */
	timeoutMs?: number;
}

// A token response is a few kilobytes; a placeholder host may be anyone's, so cap what we read.
const MAX_BODY_BYTES = 256 * 1024;

export async function sendTokenRequest(
	request: Request,
	template: ProviderTemplate,
	options: SendOptions = {},
): Promise<TokenResult> {
	const signal = AbortSignal.timeout(options.timeoutMs ?? 10_000);
	let response: Response;
	try {
		// workerd rejects redirect: "error"; a token endpoint that redirects is misconfigured, and
		// following it could carry the client secret elsewhere.
		response = await fetch(request, { redirect: "manual", signal });
	} catch (error) {
		return fetchFailure(error);
	}
	if (response.status >= 300 && response.status < 400) {
		await response.body?.cancel();
		return { ok: false, reason: "unexpected_status", status: response.status };
	}
	let body: string | undefined;
	try {
		body = await readCapped(response, MAX_BODY_BYTES);
	} catch (error) {
		return fetchFailure(error);
	}
	if (body === undefined) return { ok: false, reason: "unexpected_body", status: response.status };
	return parseTokenResponse(response.status, body, template, options);
}

/** A fetch (or body read) that threw: a timeout or a network failure. */
export function fetchFailure(error: unknown): Extract<TokenFailure, { reason: "network" | "timeout" }> {
	const name = error instanceof Error ? error.name : "";
	const message = error instanceof Error ? error.message : String(error);
	// AbortSignal.timeout aborts with a TimeoutError DOMException (some runtimes report AbortError).
	if (name === "TimeoutError" || name === "AbortError") return { ok: false, reason: "timeout", message };
	return { ok: false, reason: "network", message };
}

/** The body as text, or undefined when it exceeds `maxBytes` (the rest is cancelled). */
export async function readCapped(response: Response, maxBytes: number): Promise<string | undefined> {
	if (!response.body) return "";
	const reader = response.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > maxBytes) {
			await reader.cancel();
			return undefined;
		}
		chunks.push(value);
	}
	const bytes = new Uint8Array(size);
	let offset = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return new TextDecoder().decode(bytes);
}
