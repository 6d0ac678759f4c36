/**
 * Encryption of secrets at rest (docs/storage-schema.md): AES-256-GCM through WebCrypto.
 *
 * Envelope: `v1.<kid>.<iv>.<ciphertext>` (base64url parts). `kid` names the key that sealed
 * the value, so several keys can be readable at once while one key writes; the additional data
 * binds the value to its row, so a ciphertext copied onto another row fails to open.
 *
 * @example
 * const keyring = await keyringFrom(env);
 * const sealed = await keyring.seal("s3cret", aad("config", "github", "oauth_client_secret"));
 * const plain = await keyring.open(sealed, aad("config", "github", "oauth_client_secret"));
 */
import { ApiError } from "../errors";
import { fromBase64Url, toBase64Url } from "./base64url";
import { toHex } from "./hex";

const VERSION = "v1";
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export interface KeySecrets {
	NANGO_ENCRYPTION_KEY?: string | undefined;
	NANGO_ENCRYPTION_KEYS_OLD?: string | undefined;
}

export class Keyring {
	readonly #current: { kid: string; key: CryptoKey };
	readonly #byKid: Map<string, CryptoKey>;

	constructor(current: { kid: string; key: CryptoKey }, all: Map<string, CryptoKey>) {
		this.#current = current;
		this.#byKid = all;
	}

	get currentKid(): string {
		return this.#current.kid;
	}

	/** How every envelope the current key seals begins: lets storage find stale values without opening them. */
	get currentPrefix(): string {
		return `${VERSION}.${this.#current.kid}.`;
	}

	async seal(plaintext: string, additionalData: string): Promise<string> {
		const iv = crypto.getRandomValues(new Uint8Array(12));
		const ciphertext = await crypto.subtle.encrypt(
			{ name: "AES-GCM", iv, additionalData: encoder.encode(additionalData) },
			this.#current.key,
			encoder.encode(plaintext),
		);
		return [VERSION, this.#current.kid, toBase64Url(iv), toBase64Url(new Uint8Array(ciphertext))].join(".");
	}

	async open(envelope: string, additionalData: string): Promise<string> {
		const [version, kid, iv, ciphertext, extra] = envelope.split(".");
		const key = kid === undefined ? undefined : this.#byKid.get(kid);
		if (version !== VERSION || !key || !iv || !ciphertext || extra !== undefined) {
			throw new ApiError("decryption_failed");
		}
		try {
			const plain = await crypto.subtle.decrypt(
				{ name: "AES-GCM", iv: fromBase64Url(iv), additionalData: encoder.encode(additionalData) },
				key,
				fromBase64Url(ciphertext),
			);
			return decoder.decode(plain);
		} catch {
			throw new ApiError("decryption_failed");
		}
	}

	/** True when the envelope was sealed by a key other than the current one. */
	isStale(envelope: string): boolean {
		return envelope.split(".", 2)[1] !== this.#current.kid;
	}
}

/** Additional data for one stored value: unambiguous even when ids contain dots or colons. */
export function aad(...parts: string[]): string {
	return JSON.stringify(parts);
}

// Keys are imported once per isolate: the cache key is the secret text itself, so a changed
// secret (new deployment) imports again.
let cached: { source: string; keyring: Promise<Keyring> } | undefined;

export function keyringFrom(secrets: KeySecrets): Promise<Keyring> {
	const source = `${secrets.NANGO_ENCRYPTION_KEY ?? ""}|${secrets.NANGO_ENCRYPTION_KEYS_OLD ?? ""}`;
	if (cached?.source !== source) {
		const keyring = buildKeyring(secrets);
		keyring.catch(() => {
			if (cached?.keyring === keyring) cached = undefined;
		});
		cached = { source, keyring };
	}
	return cached.keyring;
}

async function buildKeyring(secrets: KeySecrets): Promise<Keyring> {
	const currentSecret = secrets.NANGO_ENCRYPTION_KEY?.trim();
	if (!currentSecret) throw new EncryptionKeyError("NANGO_ENCRYPTION_KEY is not set.");
	const olds = (secrets.NANGO_ENCRYPTION_KEYS_OLD ?? "").split(/[\s,]+/).filter((value) => value.length > 0);
	const all = new Map<string, CryptoKey>();
	let current: { kid: string; key: CryptoKey } | undefined;
	for (const secret of [currentSecret, ...olds]) {
		const raw = decodeKey(secret);
		const kid = await keyId(raw);
		const key = await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
		all.set(kid, key);
		current ??= { kid, key };
	}
	if (!current) throw new EncryptionKeyError("NANGO_ENCRYPTION_KEY is not set.");
	return new Keyring(current, all);
}

/** A key's id is derived from the key (first 8 hex digits of its SHA-256): nothing to configure. */
async function keyId(raw: Uint8Array<ArrayBuffer>): Promise<string> {
	const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", raw));
	return toHex(digest.subarray(0, 4));
}

function decodeKey(secret: string): Uint8Array<ArrayBuffer> {
	let raw: Uint8Array<ArrayBuffer>;
	try {
		raw = fromBase64Url(secret.replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, ""));
	} catch {
		throw new EncryptionKeyError("An encryption key is not valid base64.");
	}
	if (raw.length !== 32) throw new EncryptionKeyError("An encryption key must be 32 bytes (base64).");
	return raw;
}

/** A misconfigured deployment: answered as a 500 with a message saying what to set. */
export class EncryptionKeyError extends Error {
	override readonly name = "EncryptionKeyError";
}
