/**
 * The worker's public origin: NANGO_SERVER_URL when set (a worker behind a custom domain or a
 * proxy), else the origin the request came in on (`http://localhost:3003` under `npm run dev`).
 * Used for the OAuth callback URL and connect links.
 */
import type { Secrets } from "./env";

export function publicOrigin(env: Pick<Secrets, "NANGO_SERVER_URL">, requestUrl: string): string {
	const server = env.NANGO_SERVER_URL?.trim().replace(/\/+$/, "");
	return server || new URL(requestUrl).origin;
}
