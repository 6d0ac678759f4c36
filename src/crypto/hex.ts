/** Lowercase hex of bytes, and back: HMAC signatures, key ids, ETags, nonces. */
export function toHex(bytes: Uint8Array): string {
	return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** The bytes of an even-length hex text, or undefined when it is not hex. */
export function fromHex(hex: string): Uint8Array<ArrayBuffer> | undefined {
	if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return undefined;
	const bytes = new Uint8Array(hex.length / 2);
	for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
	return bytes;
}
