/**
 * OAuth flow sessions in D1 (`oauth_sessions`). The secret part (PKCE verifier, OAuth1 request
 * secret, connection config, WebSocket id) is sealed here, bound to the session id and its
 * connection, and opened here. Taking a session deletes it in the same statement, so a replayed
 * callback finds nothing, even when two arrive at once.
 */
import { eq, lt } from "drizzle-orm";
import { aad, type Keyring } from "../crypto/cipher";
import type { FlowSession } from "../flow/session";
import type { Db } from "./client";
import { oauthSessions } from "./schema";

type SealedPart = Omit<FlowSession, "state" | "providerConfigKey" | "connectionId" | "expiresAt">;

export type TakenSession = { ok: true; session: FlowSession } | { ok: false; reason: "unknown" | "expired" };

export const sessionAad = (state: string, providerConfigKey: string, connectionId: string) =>
	aad("oauth_sessions", state, providerConfigKey, connectionId, "payload");

/** Stores a new session and, in the same atomic batch, drops the expired ones. */
export async function saveSession(db: Db, keyring: Keyring, session: FlowSession, now = Date.now()) {
	const { state, providerConfigKey, connectionId, expiresAt, ...secret } = session;
	const sealed: SealedPart = secret;
	const payload = await keyring.seal(
		JSON.stringify(sealed),
		sessionAad(state, providerConfigKey, connectionId),
	);
	await db.batch([
		db.delete(oauthSessions).where(lt(oauthSessions.expiresAt, now)),
		db.insert(oauthSessions).values({ id: state, providerConfigKey, connectionId, payload, expiresAt }),
	]);
}

/** Deletes and returns the session: single use by construction (DELETE … RETURNING). */
export async function takeSession(
	db: Db,
	keyring: Keyring,
	state: string,
	now = Date.now(),
): Promise<TakenSession> {
	const row = await db.delete(oauthSessions).where(eq(oauthSessions.id, state)).returning().get();
	if (!row) return { ok: false, reason: "unknown" };
	if (row.expiresAt <= now) return { ok: false, reason: "expired" };
	const secret = JSON.parse(
		await keyring.open(row.payload, sessionAad(row.id, row.providerConfigKey, row.connectionId)),
	) as SealedPart;
	return {
		ok: true,
		session: {
			...secret,
			state: row.id,
			providerConfigKey: row.providerConfigKey,
			connectionId: row.connectionId,
			expiresAt: row.expiresAt,
		},
	};
}
