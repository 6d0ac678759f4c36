/**
 * Base64url without padding (RFC 4648 §5; RFC 7636 appendix A): envelopes, OAuth `state` and
 * PKCE values. Hand-written because Workers lack `Uint8Array.toBase64` and Node's Buffer.
 */
export function toBase64Url(bytes: Uint8Array): string {
	let binary = "";
	for (const byte of bytes) binary += String.fromCharCode(byte);
	return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** Throws on text that is not base64url (`atob` rejects it). */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
	const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
	const bytes = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
	return bytes;
}

/** `length` random bytes as base64url: unguessable ids such as the OAuth `state`. */
export function randomBase64Url(length: number): string {
	return toBase64Url(crypto.getRandomValues(new Uint8Array(length)));
}
