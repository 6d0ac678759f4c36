/** SHA-256 as lowercase hex: how connect-session tokens and flow cookies are stored (never in the clear). */
import { toHex } from "./hex";

const encoder = new TextEncoder();

export async function sha256Hex(text: string): Promise<string> {
	return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text))));
}

// Imported once per isolate: the dashboard signs twice per page and the queue once per delivery.
// Only a handful of configured secrets exist; the bound keeps a changed one from piling up.
const imported = new Map<string, Promise<CryptoKey>>();
const MAX_IMPORTED = 8;

/** An HMAC-SHA256 key from a text secret (the HMAC key of flows, the webhook and dashboard keys). */
export function hmacSha256Key(secret: string, usage: "sign" | "verify"): Promise<CryptoKey> {
	const name = `${usage}\u0000${secret}`;
	let key = imported.get(name);
	if (!key) {
		if (imported.size >= MAX_IMPORTED) imported.clear();
		key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
			usage,
		]);
		imported.set(name, key);
	}
	return key;
}
