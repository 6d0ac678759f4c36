/**
 * HTTP Basic credentials (RFC 7617): a username and a password that never expire here and are
 * never refreshed; API calls carry `Authorization: Basic base64(username:password)` unless the
 * template's `proxy.headers` say otherwise.
 */
import type { BasicCredentials } from "../connections/credentials";
import type { AuthMode } from "./mode";

export const basic: AuthMode<BasicCredentials> = {
	expiresAt: () => undefined,
	refreshable: () => false,
	async authorize(request, { credentials }) {
		const authorized = new Request(request);
		authorized.headers.set("Authorization", basicAuthorization(credentials.username, credentials.password));
		return authorized;
	},
	templateValues: (credentials) => ({ username: credentials.username, password: credentials.password }),
};

/** `Basic base64(user:password)`, the text UTF-8 encoded (RFC 7617 §2.1). */
export function basicAuthorization(username: string, password: string): string {
	const bytes = new TextEncoder().encode(`${username}:${password}`);
	return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}
