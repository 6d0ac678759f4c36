/**
 * The optional checks of `/oauth/connect` (docs/api.md#public-key-and-hmac): the public key (`public_key` from Nango's
 * clients, `pizzly_pkey` from Pizzly's) and the HMAC that lets only the app's backend authorize
 * a given connection id. Both compare in constant time.
 *
 * @example
 * // the app's backend, per connection:
 * hmac = hex(HMAC-SHA256(NANGO_HMAC_KEY, `${providerConfigKey}:${connectionId}`))
 */
import { matchesSecret } from "../crypto/compare";
import { hmacSha256Key } from "../crypto/digest";
import { fromHex } from "../crypto/hex";
import type { Secrets } from "../env";
import type { FlowFailure } from "./failure";

const encoder = new TextEncoder();

export interface GuardInput {
	providerConfigKey: string;
	connectionId: string;
	publicKey: string | undefined;
	hmac: string | undefined;
}

export async function checkConnectGuards(
	env: Pick<Secrets, "NANGO_PUBLIC_KEY" | "NANGO_HMAC_KEY">,
	input: GuardInput,
): Promise<FlowFailure | undefined> {
	const publicKey = env.NANGO_PUBLIC_KEY?.trim();
	if (publicKey) {
		if (!input.publicKey) return { reason: "missing_public_key" };
		if (!matchesSecret(input.publicKey, publicKey)) return { reason: "invalid_public_key" };
	}
	const hmacKey = env.NANGO_HMAC_KEY?.trim();
	if (hmacKey) {
		if (!input.hmac) return { reason: "missing_hmac" };
		const ok = await verifyHmac(hmacKey, `${input.providerConfigKey}:${input.connectionId}`, input.hmac);
		if (!ok) return { reason: "invalid_hmac" };
	}
	return undefined;
}

/** Hex HMAC-SHA256; `subtle.verify` compares in constant time. */
async function verifyHmac(key: string, message: string, hex: string): Promise<boolean> {
	const signature = hex.length === 64 ? fromHex(hex) : undefined;
	if (!signature) return false;
	return crypto.subtle.verify("HMAC", await hmacSha256Key(key, "verify"), signature, encoder.encode(message));
}
