/**
 * Constant-time comparison of a presented text with a configured secret (the secret key, the
 * public key), synchronous: this runs before every token read, and a hash per request (awaited)
 * was a measurable share of a read served from memory. `timingSafeEqual` (a Workers extension of
 * SubtleCrypto) compares equal lengths only, so a presented text of another length is answered
 * by comparing the secret with itself: either way the work is one pass over the secret, and the
 * time says nothing about its content or its length.
 */
const encoder = new TextEncoder();

// The configured side's bytes, once per isolate. Only a handful of configured secrets exist;
// the bound keeps a changed secret from piling up.
const encoded = new Map<string, Uint8Array>();
const MAX_CACHED = 8;

export function matchesSecret(presented: string, secret: string): boolean {
	return equalBytes(encoder.encode(presented), secretBytes(secret));
}

/**
 * Whether `presented` equals `expected`, in time that depends only on `expected`'s length (the
 * stored side): flow cookies' hashes, and the configured secrets above.
 */
export function equalBytes(presented: Uint8Array, expected: Uint8Array): boolean {
	const sameLength = presented.byteLength === expected.byteLength;
	const equal = crypto.subtle.timingSafeEqual(sameLength ? presented : expected, expected);
	return sameLength && equal;
}

function secretBytes(secret: string): Uint8Array {
	let bytes = encoded.get(secret);
	if (!bytes) {
		if (encoded.size >= MAX_CACHED) encoded.clear();
		bytes = encoder.encode(secret);
		encoded.set(secret, bytes);
	}
	return bytes;
}
