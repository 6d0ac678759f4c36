/**
 * The authorization request URL (RFC 6749 §4.1.1, docs/flows.md#oauth-2-authorization-request) for any OAuth 2 template.
 * Hand-written: no library builds it on Workers with the catalog's quirks (separators, extra params).
 */

import { fillPlaceholders, resolveConnectionConfig } from "../../providers/placeholders";
import { type ProviderTemplate, requiredUrl } from "../../providers/template";

export interface AuthorizationUrlInput {
	template: ProviderTemplate;
	clientId: string;
	/** the config's scopes; the template's default_scopes are added */
	scopes: string[];
	redirectUri: string;
	state: string;
	/** S256 challenge; the caller omits it when the template sets disable_pkce */
	codeChallenge?: string;
	connectionConfig: Record<string, string>;
}

// A few templates ask for a fresh value per request (an OpenID Connect nonce).
// biome-ignore lint/suspicious/noTemplateCurlyInString: the catalog's placeholder, not JS
const RANDOM = "${random}";

export function buildAuthorizationUrl(input: AuthorizationUrlInput): string {
	const { template } = input;
	const connectionConfig = resolveConnectionConfig(template, input.connectionConfig);
	const url = new URL(fillPlaceholders(requiredUrl(template, "authorization_url"), connectionConfig));
	const params = url.searchParams;
	params.set("response_type", "code");
	// Template parameters may replace response_type (a provider wanting "code id_token") but
	// never the values that bind the request to this client and this flow, set after them.
	for (const [name, value] of Object.entries(template.authorization_params ?? {})) {
		const filled = fillPlaceholders(value, connectionConfig);
		params.set(
			name,
			filled.replaceAll(RANDOM, () => crypto.randomUUID()),
		);
	}
	params.set("client_id", input.clientId);
	params.set("redirect_uri", input.redirectUri);
	const scopes = [...new Set([...input.scopes, ...(template.default_scopes ?? [])])].filter(Boolean);
	if (scopes.length > 0) params.set("scope", scopes.join(template.scope_separator ?? " "));
	params.set("state", input.state);
	if (input.codeChallenge !== undefined) {
		params.set("code_challenge", input.codeChallenge);
		params.set("code_challenge_method", "S256");
	}
	return url.toString();
}
