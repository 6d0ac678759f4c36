/**
 * API keys: the end user (or an import) hands over a key; it never expires here and is never
 * refreshed. Where it goes is the template's to say (`proxy.headers` / `proxy.query` name
 * `${apiKey}`), so the mode itself adds nothing to a request, as in today's Nango.
 */
import type { ApiKeyCredentials } from "../connections/credentials";
import type { AuthMode } from "./mode";

export const apiKey: AuthMode<ApiKeyCredentials> = {
	expiresAt: () => undefined,
	refreshable: () => false,
	async authorize(request) {
		return new Request(request);
	},
	templateValues: (credentials) => ({ apiKey: credentials.apiKey }),
};
