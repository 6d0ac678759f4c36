/**
 * Token endpoint requests for any OAuth 2 template: the code exchange (RFC 6749 §4.1.3) and the
 * refresh (§6). Hand-written: no library does these quirks (Basic or body auth, form or JSON) on Workers.
 */

import { USER_AGENT } from "../../providers/fetch";
import { fillPlaceholders, resolveConnectionConfig } from "../../providers/placeholders";
import { type ProviderTemplate, requiredUrl } from "../../providers/template";

export interface ClientInput {
	template: ProviderTemplate;
	clientId: string;
	clientSecret: string;
	connectionConfig: Record<string, string>;
}

export interface TokenRequestInput extends ClientInput {
	redirectUri: string;
	code: string;
	/** the PKCE verifier, when the authorization request carried a challenge */
	codeVerifier?: string;
}

export type ClientCredentialsInput = ClientInput;

/** RFC 6749 §4.4.2: the client's own token, with the connection's client id and secret. */
export function buildClientCredentialsRequest(input: ClientCredentialsInput): Request {
	return tokenEndpointRequest(input, requiredUrl(input.template, "token_url"), input.template.token_params, {
		grant_type: "client_credentials",
	});
}

export interface RefreshRequestInput extends ClientInput {
	refreshToken: string;
}

export function buildTokenRequest(input: TokenRequestInput): Request {
	const fields: Record<string, string> = {
		grant_type: "authorization_code",
		code: input.code,
		redirect_uri: input.redirectUri,
	};
	if (input.codeVerifier !== undefined) fields.code_verifier = input.codeVerifier;
	return tokenEndpointRequest(
		input,
		requiredUrl(input.template, "token_url"),
		input.template.token_params,
		fields,
	);
}

export function buildRefreshRequest(input: RefreshRequestInput): Request {
	const { template } = input;
	const fields = { grant_type: "refresh_token", refresh_token: input.refreshToken };
	return tokenEndpointRequest(
		input,
		template.refresh_url ?? requiredUrl(template, "token_url"),
		template.refresh_params,
		fields,
	);
}

function tokenEndpointRequest(
	input: ClientInput,
	endpoint: string,
	templateParams: Record<string, string> | undefined,
	fields: Record<string, string>,
): Request {
	const { template } = input;
	const connectionConfig = resolveConnectionConfig(template, input.connectionConfig);
	const body: Record<string, string> = {};
	for (const [name, value] of Object.entries(templateParams ?? {})) {
		body[name] = fillPlaceholders(value, connectionConfig);
	}
	// Set after the template's parameters: a template can never override the grant, the code,
	// the refresh token or the client credentials.
	Object.assign(body, fields);
	const headers = new Headers({ Accept: "application/json", "User-Agent": USER_AGENT });
	if (template.token_request_auth_method === "basic") {
		headers.set("Authorization", basicAuthorization(input.clientId, input.clientSecret));
	} else {
		body.client_id = input.clientId;
		body.client_secret = input.clientSecret;
	}
	const json = template.body_format === "json";
	headers.set("Content-Type", json ? "application/json" : "application/x-www-form-urlencoded");
	return new Request(fillPlaceholders(endpoint, connectionConfig), {
		method: "POST",
		headers,
		body: json ? JSON.stringify(body) : new URLSearchParams(body).toString(),
	});
}

/** RFC 6749 §2.3.1: id and secret are form-urlencoded (Appendix B) before base64. */
function basicAuthorization(clientId: string, clientSecret: string): string {
	return `Basic ${btoa(`${formEncode(clientId)}:${formEncode(clientSecret)}`)}`;
}

function formEncode(value: string): string {
	return new URLSearchParams({ v: value }).toString().slice("v=".length);
}
