/**
 * PKCE (RFC 7636) with the S256 method, on WebCrypto.
 */
import { randomBase64Url, toBase64Url } from "../../crypto/base64url";

// code-verifier = 43*128unreserved (RFC 7636 §4.1)
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

export interface Pkce {
	verifier: string;
	challenge: string;
}

/**
 * A fresh verifier (32 random bytes, base64url: 43 unreserved characters, RFC 7636 §4.1) and its
 * challenge. Pass a verifier to derive its challenge instead (tests use RFC 7636 appendix B).
 */
export async function createPkce(verifier: string = randomBase64Url(32)): Promise<Pkce> {
	if (!VERIFIER.test(verifier)) throw new RangeError("A PKCE verifier is 43-128 unreserved characters.");
	return { verifier, challenge: await pkceChallenge(verifier) };
}

/** BASE64URL(SHA256(ASCII(verifier))), RFC 7636 §4.2. */
export async function pkceChallenge(verifier: string): Promise<string> {
	const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
	return toBase64Url(new Uint8Array(digest));
}
