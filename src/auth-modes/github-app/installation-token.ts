/**
 * Minting an installation token (GitHub's "Create an installation access token for an app",
 * `POST /app/installations/{installation_id}/access_tokens`): the app's JWT as Bearer, answered
 * with `201 {token, expires_at, permissions, repository_selection}`. Tokens live an hour.
 */
import type { AppCredentials } from "../../connections/credentials";
import type { Config } from "../../db/configs";
import { callProvider, decodeBody, type ProviderFailure } from "../../providers/fetch";
import { fillPlaceholders } from "../../providers/placeholders";
import { type ProviderTemplate, requiredUrl } from "../../providers/template";
import { AppKeyError, appJwt, importAppKey } from "./app-jwt";

/** GitHub's installation ids are positive integers; the id lands in a URL path, so digits only. */
export const INSTALLATION_ID = /^[1-9][0-9]{0,19}$/;

export type Minted =
	| { ok: true; credentials: AppCredentials }
	| ProviderFailure
	| { ok: false; reason: "key" };

// The answer holds the token, its expiry and the permission lists: a few kilobytes.
const MAX_BODY_BYTES = 64 * 1024;

export interface MintInput {
	config: Config;
	template: ProviderTemplate;
	/** digits only (INSTALLATION_ID), checked by the caller */
	installationId: string;
	now: number;
}

export async function mintInstallationToken({
	config,
	template,
	installationId,
	now,
}: MintInput): Promise<Minted> {
	let jwt: string;
	try {
		jwt = await appJwt(config.oauthClientId, await importAppKey(config.oauthClientSecret), now);
	} catch (error) {
		// Checked when the config was stored; a key that stops importing is a broken config.
		if (error instanceof AppKeyError) return { ok: false, reason: "key" };
		throw error;
	}
	const url = fillPlaceholders(requiredUrl(template, "token_url"), { installation_id: installationId });
	const answer = await callProvider(
		new Request(url, {
			method: "POST",
			headers: {
				Authorization: `Bearer ${jwt}`,
				Accept: "application/vnd.github+json",
				"X-GitHub-Api-Version": "2022-11-28",
			},
		}),
		{ maxBytes: MAX_BODY_BYTES },
	);
	if (!answer.ok) return answer;
	return parseAnswer(answer.status, answer.body);
}

function parseAnswer(status: number, body: string): Minted {
	const data = decodeBody(body);
	if (status < 200 || status > 299) {
		// GitHub's errors: {"message": "A JSON web token could not be decoded", "documentation_url"}.
		const message = typeof data?.message === "string" ? data.message.slice(0, 200) : undefined;
		return message
			? { ok: false, reason: "provider_error", error: message, status }
			: { ok: false, reason: "unexpected_status", status };
	}
	const token = data?.token;
	const expiresAt = typeof data?.expires_at === "string" ? Date.parse(data.expires_at) : Number.NaN;
	if (!data || typeof token !== "string" || token.length === 0 || Number.isNaN(expiresAt)) {
		return { ok: false, reason: "unexpected_body", status };
	}
	// raw is shown on every read: GitHub's answer without the token itself.
	const { token: _token, ...raw } = data;
	return {
		ok: true,
		credentials: { type: "APP", access_token: token, expires_at: new Date(expiresAt).toISOString(), raw },
	};
}
