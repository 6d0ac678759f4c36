/**
 * Connect-session tokens (docs/connect-sessions.md): `nango_connect_session_` + 64 hex characters
 * (256 random bits), as today's Nango spells them. Stored only as their SHA-256, so a leaked
 * database lets no one start a flow; a hash lookup needs no constant-time compare because the
 * stored value tells an attacker nothing about the token.
 */
import { sha256Hex } from "../crypto/digest";
import { toHex } from "../crypto/hex";

const PREFIX = "nango_connect_session_";
export const CONNECT_SESSION_TOKEN = /^nango_connect_session_[0-9a-f]{64}$/;
/** Today's Nango: a connect session lasts 30 minutes. */
export const CONNECT_SESSION_TTL_MS = 30 * 60 * 1000;

/** A new token and the hash it is stored under. */
export async function newConnectSessionToken(): Promise<{ token: string; hash: string }> {
	const token = PREFIX + toHex(crypto.getRandomValues(new Uint8Array(32)));
	return { token, hash: await sha256Hex(token) };
}

/** The stored form; undefined for text that cannot be a token (nothing to look up). */
export async function connectSessionHash(token: string): Promise<string | undefined> {
	return CONNECT_SESSION_TOKEN.test(token) ? sha256Hex(token) : undefined;
}
