/**
 * Sends a token request and reads the token endpoint's answer (RFC 6749 §5.1 success, §5.2 error)
 * into our credentials or a tagged failure. The provider's body is `unknown` until narrowed here;
 * quirks are template flags.
 */
import type { OAuth2Credentials } from "../../connections/credentials";
import { expiryAfter } from "../../connections/expiry";
import { callProvider, decodeBody, isRecord, type ProviderFailure } from "../../providers/fetch";
import type { ProviderTemplate } from "../../providers/template";

export type TokenResult =
	| { ok: true; credentials: OAuth2Credentials; metadata: Record<string, unknown> }
	| ProviderFailure;

// A token response is a few kilobytes; a placeholder host may be anyone's, so cap what we read.
const MAX_BODY_BYTES = 256 * 1024;

export interface ParseOptions {
	/** the credentials being refreshed: their refresh token survives a response without one (docs/flows.md#never-losing-a-token) */
	previous?: OAuth2Credentials;
	/** the moment `expires_in` counts from; default now */
	now?: Date;
}

type Json = Record<string, unknown>;

export interface SendOptions extends ParseOptions {
	/** default 10 s */
	timeoutMs?: number;
}

/** A token request built by `token-request.ts`, sent, and its answer read. */
export async function sendTokenRequest(
	request: Request,
	template: ProviderTemplate,
	options: SendOptions = {},
): Promise<TokenResult> {
	const answer = await callProvider(request, {
		maxBytes: MAX_BODY_BYTES,
		...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
	});
	if (!answer.ok) return answer;
	return parseTokenResponse(answer.status, answer.body, template, options);
}

export function parseTokenResponse(
	status: number,
	body: string,
	template: ProviderTemplate,
	options: ParseOptions = {},
): TokenResult {
	const data = decodeBody(body);
	const error = data && providerError(data);
	if (status < 200 || status > 299) {
		return error
			? { ok: false, reason: "provider_error", ...error, status }
			: { ok: false, reason: "unexpected_status", status };
	}
	if (!data) return { ok: false, reason: "unexpected_body", status };
	const tokens = tokenObject(data, template);
	// GitHub, Slack and Withings report errors with HTTP 200 and an `error` field; any provider
	// that sends an `error` and no token has failed, whatever the status says.
	if (error && (template.errors_with_status_200 || !tokens)) {
		return { ok: false, reason: "provider_error", ...error, status };
	}
	if (!tokens) return { ok: false, reason: "unexpected_body", status };

	const credentials: OAuth2Credentials = { type: "OAUTH2", access_token: tokens.access_token, raw: data };
	// A refresh response may omit the refresh token: the old one stays valid (RFC 6749 §6).
	const refreshToken = nonEmptyString(tokens.refresh_token) ?? options.previous?.refresh_token;
	if (refreshToken !== undefined) credentials.refresh_token = refreshToken;
	const lifetimeMs = lifetime(tokens.expires_in, template);
	// Nothing here may throw: on a refresh the provider has already rotated its refresh token, and
	// only what this returns gets stored (docs/flows.md#absurd-expiries).
	const expiresAt =
		lifetimeMs === undefined ? undefined : expiryAfter((options.now ?? new Date()).getTime(), lifetimeMs);
	if (expiresAt !== undefined) credentials.expires_at = expiresAt;
	return { ok: true, credentials, metadata: metadataOf(data, template) };
}

function providerError(data: Json): { error: string; description?: string } | undefined {
	const { error, error_description: description } = data;
	if (typeof error === "string" && error.length > 0) {
		return typeof description === "string" ? { error, description } : { error };
	}
	// Facebook: {"error": {"message", "type": "OAuthException", "code"}}
	if (isRecord(error) && typeof error.message === "string") {
		return { error: typeof error.type === "string" ? error.type : "error", description: error.message };
	}
	return undefined;
}

/** Where the tokens are: the top level, else the template's alternate path (Slack `authed_user`). */
function tokenObject(data: Json, template: ProviderTemplate): (Json & { access_token: string }) | undefined {
	if (hasAccessToken(data)) return data;
	const nested = template.alternate_access_token_response_path
		? valueAt(data, template.alternate_access_token_response_path)
		: undefined;
	return isRecord(nested) && hasAccessToken(nested) ? nested : undefined;
}

function hasAccessToken(value: Json): value is Json & { access_token: string } {
	return nonEmptyString(value.access_token) !== undefined;
}

/** `expires_in` as milliseconds: a number or a numeric string (Naver), seconds unless flagged. */
function lifetime(expiresIn: unknown, template: ProviderTemplate): number | undefined {
	const value =
		typeof expiresIn === "string" && /^\d+(\.\d+)?$/.test(expiresIn.trim()) ? Number(expiresIn) : expiresIn;
	if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) return undefined;
	return template.expires_in_unit === "milliseconds" ? value : value * 1000;
}

/** token_response_metadata paths (`team.id`) kept under their dotted names, as Nango does. */
function metadataOf(data: Json, template: ProviderTemplate): Record<string, unknown> {
	const metadata: Record<string, unknown> = {};
	for (const path of template.token_response_metadata ?? []) {
		const value = valueAt(data, path.split("."));
		if (value !== undefined && value !== null) metadata[path] = value;
	}
	return metadata;
}

function valueAt(data: Json, path: string[]): unknown {
	let current: unknown = data;
	for (const key of path) {
		if (!isRecord(current) || !Object.hasOwn(current, key)) return undefined;
		current = current[key];
	}
	return current;
}

function nonEmptyString(value: unknown): string | undefined {
	return typeof value === "string" && value.length > 0 ? value : undefined;
}
