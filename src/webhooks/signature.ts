/**
 * Webhook signatures, as today's `@nangohq/node` checks them: `X-Nango-Hmac-Sha256` is the hex
 * HMAC-SHA256 of the raw body (`verifyIncomingWebhookRequest`), and the older
 * `X-Nango-Signature` the hex SHA-256 of key + body (`verifyWebhookSignature`). The key is
 * NANGO_WEBHOOK_SIGNING_KEY, else the secret key, as the client falls back to it.
 */
import { hmacSha256Key, sha256Hex } from "../crypto/digest";
import { toHex } from "../crypto/hex";
import type { Bindings } from "../env";

export function signingKey(env: Bindings): string | undefined {
	return env.NANGO_WEBHOOK_SIGNING_KEY?.trim() || env.NANGO_SECRET_KEY?.trim() || undefined;
}

export async function signatureHeaders(key: string, body: string): Promise<Record<string, string>> {
	const bytes = new TextEncoder().encode(body);
	const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await hmacSha256Key(key, "sign"), bytes));
	return {
		"X-Nango-Hmac-Sha256": toHex(mac),
		"X-Nango-Signature": await sha256Hex(`${key}${body}`),
	};
}
