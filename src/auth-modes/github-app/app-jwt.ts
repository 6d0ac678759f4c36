/**
 * The JWT a GitHub App signs to act as itself (RS256; GitHub's "Generating a JSON Web Token for a
 * GitHub App"): issuer the app id, issued a minute in the past against clock drift, expiring
 * within GitHub's ten-minute limit.
 *
 * @example
 * const key = await importAppKey(config.oauthClientSecret); // the app's PEM, PKCS#1 or PKCS#8
 * const jwt = await appJwt(config.oauthClientId, key, Date.now());
 */
import { SignJWT } from "jose";

/** The private key is no RSA key in PEM (PKCS#1 "RSA PRIVATE KEY" or PKCS#8 "PRIVATE KEY"). */
export class AppKeyError extends Error {
	constructor(message: string) {
		super(message);
		this.name = "AppKeyError";
	}
}

/** GitHub refuses a JWT whose expiry is more than 10 minutes ahead: 9 leaves room for drift. */
const LIFETIME_SECONDS = 9 * 60;
const BACKDATE_SECONDS = 60;

export async function appJwt(appId: string, key: CryptoKey, now: number): Promise<string> {
	const seconds = Math.floor(now / 1000);
	return new SignJWT({})
		.setProtectedHeader({ alg: "RS256", typ: "JWT" })
		.setIssuer(appId)
		.setIssuedAt(seconds - BACKDATE_SECONDS)
		.setExpirationTime(seconds + LIFETIME_SECONDS)
		.sign(key);
}

const PEM = /^-----BEGIN (RSA PRIVATE KEY|PRIVATE KEY)-----\s*([A-Za-z0-9+/=\s]+?)\s*-----END \1-----\s*$/;

/**
 * The app's private key for signing. GitHub hands out PKCS#1 PEM ("BEGIN RSA PRIVATE KEY");
 * WebCrypto imports only PKCS#8, so a PKCS#1 key is wrapped first.
 */
export async function importAppKey(pem: string): Promise<CryptoKey> {
	const match = PEM.exec(pem.trim());
	if (!match) throw new AppKeyError("app_private_key must be an RSA private key in PEM form.");
	let der: Uint8Array;
	try {
		der = Uint8Array.from(atob((match[2] ?? "").replaceAll(/\s/g, "")), (char) => char.charCodeAt(0));
	} catch {
		throw new AppKeyError("app_private_key's PEM body is not base64.");
	}
	const pkcs8 = match[1] === "RSA PRIVATE KEY" ? wrapPkcs1(der) : der;
	try {
		return await crypto.subtle.importKey(
			"pkcs8",
			pkcs8,
			{ name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
			false,
			["sign"],
		);
	} catch {
		throw new AppKeyError("app_private_key is not a readable RSA private key.");
	}
}

// AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL } (RFC 8017 A.1).
const RSA_ALGORITHM = [
	0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
];

/** PKCS#1 RSAPrivateKey into PKCS#8 PrivateKeyInfo {version 0, rsaEncryption, OCTET STRING} (RFC 5208 §5). */
function wrapPkcs1(pkcs1: Uint8Array): Uint8Array {
	const body = [0x02, 0x01, 0x00, ...RSA_ALGORITHM, 0x04, ...derLength(pkcs1.length), ...pkcs1];
	return Uint8Array.from([0x30, ...derLength(body.length), ...body]);
}

/** A DER length: short form below 128, else the long form's byte count and big-endian bytes. */
function derLength(length: number): number[] {
	if (length < 0x80) return [length];
	const bytes: number[] = [];
	for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
	return [0x80 | bytes.length, ...bytes];
}
