/**
 * GitHub App installations: an installation token minted with the app's private key; API calls
 * carry `Authorization: Bearer`.
 */
import type { AppCredentials } from "../connections/credentials";
import type { AuthMode } from "./mode";
import { parseExpiry } from "./oauth2";

export const githubApp: AuthMode<AppCredentials> = {
	expiresAt: (credentials) => parseExpiry(credentials.expires_at),
	refreshable: () => false,
	async authorize(request, { credentials }) {
		const authorized = new Request(request);
		authorized.headers.set("Authorization", `Bearer ${credentials.access_token}`);
		return authorized;
	},
	templateValues: (credentials) => ({ accessToken: credentials.access_token }),
};
