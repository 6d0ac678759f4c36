/**
 * The redirect URI registered with providers (docs/flows.md#callback-url): NANGO_CALLBACK_URL, else
 * the public origin (NANGO_SERVER_URL, else this request's own origin) + /oauth/callback
 * (`http://localhost:3003/oauth/callback` under `npm run dev`).
 */
import type { Secrets } from "../env";
import { publicOrigin } from "../public-origin";

export function callbackUrl(
	env: Pick<Secrets, "NANGO_CALLBACK_URL" | "NANGO_SERVER_URL">,
	requestUrl: string,
) {
	const explicit = env.NANGO_CALLBACK_URL?.trim();
	if (explicit) return explicit;
	return `${publicOrigin(env, requestUrl)}/oauth/callback`;
}
