/**
 * Constant-time comparison of a presented text with a configured secret (the secret key, the
 * public key). Both sides are hashed first, so `timingSafeEqual` (a Workers extension of
 * SubtleCrypto) compares equal-length inputs and leaks neither the content nor the length.
 */
const encoder = new TextEncoder();

// The configured side's digest is computed once per isolate: this runs before every token read.
// Only a handful of configured secrets exist; the bound keeps a changed secret from piling up.
const digests = new Map<string, Promise<ArrayBuffer>>();
const MAX_CACHED = 8;

export async function matchesSecret(presented: string, secret: string): Promise<boolean> {
	const [ours, theirs] = await Promise.all([secretDigest(secret), sha256(presented)]);
	return crypto.subtle.timingSafeEqual(ours, theirs);
}

function secretDigest(secret: string): Promise<ArrayBuffer> {
	let digest = digests.get(secret);
	if (!digest) {
		if (digests.size >= MAX_CACHED) digests.clear();
		digest = sha256(secret);
		digests.set(secret, digest);
	}
	return digest;
}

function sha256(text: string): Promise<ArrayBuffer> {
	return crypto.subtle.digest("SHA-256", encoder.encode(text));
}
