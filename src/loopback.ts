/**
 * Loopback hosts (`npm run dev`): the only ones a worker without a secret key serves, and the
 * only ones a provider endpoint may reach over plain http. A deployed worker is never loopback.
 */
export function isLoopbackHost(hostname: string): boolean {
	return hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname);
}
