/**
 * OAuth 2 client credentials (RFC 6749 §4.4): the connection holds its own client id and secret
 * (the end user's, given through `POST /oauth2/auth/:key` or an import) and the token they got.
 * A new token is simply asked for again: the mode refreshes through the same Durable Object path
 * as OAuth 2 (one grant however many callers, stored before anyone gets it). API calls carry
 * `Authorization: Bearer`.
 */
import type { OAuth2ClientCredentials } from "../connections/credentials";
import { placeholderValues } from "../providers/placeholders";
import type { ProviderTemplate } from "../providers/template";
import { withBearer } from "./bearer";
import type { AuthMode, Refreshed } from "./mode";
import { parseExpiry } from "./oauth2";
import { builtOrMisconfigured } from "./oauth2/refresh";
import { buildClientCredentialsRequest } from "./oauth2/token-request";
import { sendTokenRequest } from "./oauth2/token-response";

/** How long a token lives when the provider does not say (as today's Nango assumes). */
export const DEFAULT_LIFETIME_MS = 55 * 60_000;

export const clientCredentials: AuthMode<OAuth2ClientCredentials> = {
	expiresAt: (credentials) => parseExpiry(credentials.expires_at),
	// The client itself is the grant: a new token can always be asked for.
	refreshable: () => true,
	refresh: ({ template, credentials, connectionConfig, now }) =>
		fetchClientToken({
			template,
			clientId: credentials.client_id,
			clientSecret: credentials.client_secret,
			connectionConfig,
			now,
		}),
	authorize: (request, { credentials }) => withBearer(request, credentials.token),
	templateValues: (credentials) => ({ accessToken: credentials.token }),
};

export interface ClientTokenInput {
	template: ProviderTemplate;
	clientId: string;
	clientSecret: string;
	connectionConfig: Record<string, unknown>;
	/** epoch ms the token's lifetime counts from */
	now: number;
}

/** One client-credentials grant: the connection's credentials, or why there are none. */
export async function fetchClientToken(input: ClientTokenInput): Promise<Refreshed<OAuth2ClientCredentials>> {
	const request = builtOrMisconfigured(() =>
		buildClientCredentialsRequest({
			template: input.template,
			clientId: input.clientId,
			clientSecret: input.clientSecret,
			connectionConfig: placeholderValues(input.connectionConfig),
		}),
	);
	if (!(request instanceof Request)) return request;
	const result = await sendTokenRequest(request, input.template, { now: new Date(input.now) });
	if (!result.ok) return result;
	const { access_token, expires_at, raw } = result.credentials;
	return {
		ok: true,
		credentials: {
			type: "OAUTH2_CC",
			token: access_token,
			expires_at: expires_at ?? new Date(input.now + DEFAULT_LIFETIME_MS).toISOString(),
			client_id: input.clientId,
			client_secret: input.clientSecret,
			raw,
		},
		metadata: result.metadata,
	};
}
