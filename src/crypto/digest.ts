/** SHA-256 as lowercase hex: how connect-session tokens and flow cookies are stored (never in the clear). */
import { toHex } from "./hex";

const encoder = new TextEncoder();

export async function sha256Hex(text: string): Promise<string> {
	return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text))));
}
