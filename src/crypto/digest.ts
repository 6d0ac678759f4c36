/** SHA-256 as lowercase hex: how connect-session tokens and flow cookies are stored (never in the clear). */
import { toHex } from "./hex";

const encoder = new TextEncoder();

export async function sha256Hex(text: string): Promise<string> {
	return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text))));
}

/** An HMAC-SHA256 key from a text secret (the HMAC key of flows, the webhook signing key). */
export function hmacSha256Key(secret: string, usage: "sign" | "verify"): Promise<CryptoKey> {
	return crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
		usage,
	]);
}
