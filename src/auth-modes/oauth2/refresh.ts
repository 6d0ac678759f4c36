/**
 * One refresh grant (RFC 6749 §6) for a connection, through the generic OAuth2 engine: the
 * config's client credentials, the template's endpoint and parameters (which can never override
 * `grant_type` or `refresh_token`), and the previous credentials so a response without a refresh
 * token keeps the old one.
 */
import type { Keyring } from "../../crypto/cipher";
import type { Db } from "../../db/client";
import { findConfig } from "../../db/configs";
import type { Connection } from "../../db/connections";
import { placeholderValues, UrlParamError } from "../../providers/placeholders";
import { sendTokenRequest } from "../../providers/fetch";
import { buildRefreshRequest } from "./token-request";
import type { TokenResult } from "./token-response";
import type { RefreshableCredentials } from "../../connections/freshness";
import type { RefreshFailure } from "../../connections/refresh-failure";
import { connectionTemplate } from "../../connections/template";

export type GrantResult = Extract<TokenResult, { ok: true }> | RefreshFailure;

export async function refreshGrant(
	db: Db,
	keyring: Keyring,
	connection: Connection,
	credentials: RefreshableCredentials,
	now: number,
): Promise<GrantResult> {
	const template = connectionTemplate(connection);
	if (template?.auth_mode !== "OAUTH2") {
		return { ok: false, reason: "misconfigured", message: "the config names no OAuth 2 template." };
	}
	const config = await findConfig(db, keyring, connection.providerConfigKey);
	// The config went away after the connection was read: its connections went with it.
	if (!config) return { ok: false, reason: "gone" };
	let request: Request;
	try {
		request = buildRefreshRequest({
			template,
			clientId: config.oauthClientId,
			clientSecret: config.oauthClientSecret,
			refreshToken: credentials.refresh_token,
			connectionConfig: placeholderValues(connection.connectionConfig),
		});
	} catch (error) {
		if (error instanceof UrlParamError) return { ok: false, reason: "misconfigured", message: error.message };
		if (error instanceof TypeError) {
			return { ok: false, reason: "misconfigured", message: "the token URL is not a valid URL." };
		}
		throw error;
	}
	return sendTokenRequest(request, template, { previous: credentials, now: new Date(now) });
}
