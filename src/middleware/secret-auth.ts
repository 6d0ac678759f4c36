/**
 * Caller authentication for backend routes (docs/api.md#authentication): `Authorization: Basic base64("<secret>:")`
 * (early clients) or `Bearer <secret>` (modern clients), compared in constant time. With no
 * secret configured, only loopback hosts (`npm run dev`) are served.
 */
import { createMiddleware } from "hono/factory";
import { matchesSecret } from "../crypto/compare";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { isLoopbackHost } from "../loopback";

export const secretAuth = createMiddleware<AppEnv>(async (c, next) => {
	const secret = c.env.NANGO_SECRET_KEY;
	const header = c.req.header("authorization");
	if (!secret) {
		if (!isLoopbackHost(new URL(c.req.url).hostname)) {
			throw new ApiError("secret_key_not_configured");
		}
		return next();
	}
	const refusal = secretRefusal(header, secret);
	if (refusal) throw new ApiError(refusal);
	return next();
});

/** Why an `Authorization` header does not carry the configured secret; undefined when it does. */
export function secretRefusal(
	header: string | undefined,
	secret: string,
): "missing_auth_header" | "malformed_auth_header" | "invalid_secret_key" | undefined {
	if (!header) return "missing_auth_header";
	const presented = presentedSecret(header);
	if (presented === undefined) return "malformed_auth_header";
	return matchesSecret(presented, secret) ? undefined : "invalid_secret_key";
}

function presentedSecret(header: string): string | undefined {
	const [scheme, value, extra] = header.trim().split(/\s+/);
	if (!value || extra !== undefined) return undefined;
	switch (scheme?.toLowerCase()) {
		case "bearer":
			return value;
		case "basic": {
			let decoded: string;
			try {
				decoded = new TextDecoder().decode(Uint8Array.from(atob(value), (ch) => ch.charCodeAt(0)));
			} catch {
				return undefined;
			}
			// The early clients send the secret as the username and an empty password.
			const colon = decoded.indexOf(":");
			return colon === -1 ? decoded : decoded.slice(0, colon);
		}
		default:
			return undefined;
	}
}
