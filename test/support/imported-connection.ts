/**
 * A real authorization, made without the worker's OAuth flow: the IdP's authorization-code +
 * PKCE flow driven by hand (`authorizeHeadless` for its pages, then its token endpoint), and the
 * tokens imported into the worker (`POST /config` for a custom config pointing at the IdP,
 * `POST /connection`). For refresh end-to-end tests and the refresh bench.
 */
import { createHash, randomBytes } from "node:crypto";
import { authorizeHeadless, type OidcServer } from "./oidc.js";

/** The redirect URI to register with `startOidcServer`: never followed, only read. */
export const IMPORT_REDIRECT_URI = "http://127.0.0.1/imported-connection/callback";

export interface IdpTokens {
	access_token: string;
	refresh_token: string;
	expires_in: number;
}

export async function authorizeAtIdp(idp: OidcServer, login = "alice"): Promise<IdpTokens> {
	const verifier = randomBytes(32).toString("base64url");
	const challenge = createHash("sha256").update(verifier).digest("base64url");
	const state = randomBytes(16).toString("base64url");
	const url = new URL(idp.authorizationUrl);
	url.search = new URLSearchParams({
		response_type: "code",
		client_id: idp.clientId,
		redirect_uri: IMPORT_REDIRECT_URI,
		scope: "openid",
		state,
		code_challenge: challenge,
		code_challenge_method: "S256",
	}).toString();
	const redirect = await authorizeHeadless(url.href, { login });
	const location = new URL(redirect.headers.get("location") ?? "", url);
	const code = location.searchParams.get("code");
	if (!code || location.searchParams.get("state") !== state) {
		throw new Error(`authorization failed: ${redirect.status} ${location.href}`);
	}
	const response = await fetch(idp.tokenUrl, {
		method: "POST",
		headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
		body: new URLSearchParams({
			grant_type: "authorization_code",
			code,
			redirect_uri: IMPORT_REDIRECT_URI,
			client_id: idp.clientId,
			client_secret: idp.clientSecret,
			code_verifier: verifier,
		}),
	});
	const body = (await response.json()) as Partial<IdpTokens>;
	if (!response.ok || !body.access_token || !body.refresh_token || typeof body.expires_in !== "number") {
		throw new Error(`code exchange failed: ${response.status} ${JSON.stringify(body)}`);
	}
	return { access_token: body.access_token, refresh_token: body.refresh_token, expires_in: body.expires_in };
}

export interface ImportTarget {
	workerUrl: string;
	secretKey: string;
	providerConfigKey: string;
	connectionId: string;
	/** the config's `token_expiration_buffer` in seconds */
	expirationBuffer?: number;
}

/** Creates the custom config (once per key) and imports the tokens as a connection. */
export async function importIntoWorker(
	idp: OidcServer,
	tokens: IdpTokens,
	target: ImportTarget,
): Promise<void> {
	const headers = { authorization: `Bearer ${target.secretKey}`, "content-type": "application/json" };
	const config = await fetch(`${target.workerUrl}/config`, {
		method: "POST",
		headers,
		body: JSON.stringify({
			provider_config_key: target.providerConfigKey,
			provider: "local-oidc",
			authorization_url: idp.authorizationUrl,
			token_url: idp.tokenUrl,
			oauth_client_id: idp.clientId,
			oauth_client_secret: idp.clientSecret,
			oauth_scopes: "openid",
			...(target.expirationBuffer === undefined ? {} : { token_expiration_buffer: target.expirationBuffer }),
		}),
	});
	if (!config.ok && config.status !== 409)
		throw new Error(`POST /config: ${config.status} ${await config.text()}`);
	await config.body?.cancel();
	const connection = await fetch(`${target.workerUrl}/connection`, {
		method: "POST",
		headers,
		body: JSON.stringify({
			provider_config_key: target.providerConfigKey,
			connection_id: target.connectionId,
			access_token: tokens.access_token,
			refresh_token: tokens.refresh_token,
			expires_at: new Date(Date.now() + tokens.expires_in * 1000).toISOString(),
		}),
	});
	if (connection.status !== 201)
		throw new Error(`POST /connection: ${connection.status} ${await connection.text()}`);
	await connection.body?.cancel();
}
