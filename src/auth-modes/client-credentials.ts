/**
 * OAuth 2 client credentials (RFC 6749 §4.4): the connection holds its own client id and secret
 * and the token they got; API calls carry `Authorization: Bearer`.
 */
import type { OAuth2ClientCredentials } from "../connections/credentials";
import type { AuthMode } from "./mode";
import { parseExpiry } from "./oauth2";

export const clientCredentials: AuthMode<OAuth2ClientCredentials> = {
	expiresAt: (credentials) => parseExpiry(credentials.expires_at),
	refreshable: () => false,
	async authorize(request, { credentials }) {
		const authorized = new Request(request);
		authorized.headers.set("Authorization", `Bearer ${credentials.token}`);
		return authorized;
	},
	templateValues: (credentials) => ({ accessToken: credentials.token }),
};
