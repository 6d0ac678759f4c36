/**
 * Connect sessions in D1 (`connect_sessions`, docs/storage-schema.md): stored under the hash of
 * their token, found only while unexpired, deleted on revocation. Creating one also drops the
 * expired ones, in the same atomic batch.
 */
import { and, eq, gt, lt } from "drizzle-orm";
import type { ConnectSession, EndUser, IntegrationDefaults, Organization } from "../connect-sessions/session";
import { connectSessionHash } from "../connect-sessions/token";
import type { Db } from "./client";
import { type ConnectSessionRow, connectSessions } from "./schema";

export async function saveConnectSession(
	db: Db,
	tokenHash: string,
	session: ConnectSession,
	now = Date.now(),
): Promise<void> {
	await db.batch([
		db.delete(connectSessions).where(lt(connectSessions.expiresAt, now)),
		db.insert(connectSessions).values({
			tokenHash,
			endUser: session.endUser ? JSON.stringify(session.endUser) : null,
			organization: session.organization ? JSON.stringify(session.organization) : null,
			allowedIntegrations: session.allowedIntegrations ? JSON.stringify(session.allowedIntegrations) : null,
			integrationsConfigDefaults: JSON.stringify(session.integrationsConfigDefaults),
			tags: JSON.stringify(session.tags),
			reconnectProviderConfigKey: session.reconnect?.providerConfigKey ?? null,
			reconnectConnectionId: session.reconnect?.connectionId ?? null,
			webhookUrl: session.webhookUrl,
			expiresAt: session.expiresAt,
		}),
	]);
}

/** The unexpired, unrevoked session a token names, or undefined. */
export async function findConnectSession(
	db: Db,
	token: string,
	now = Date.now(),
): Promise<ConnectSession | undefined> {
	const hash = await connectSessionHash(token);
	if (!hash) return undefined;
	const row = await db
		.select()
		.from(connectSessions)
		.where(and(eq(connectSessions.tokenHash, hash), gt(connectSessions.expiresAt, now)))
		.get();
	return row ? fromRow(row) : undefined;
}

/** Revokes a token; whether it named a live session. */
export async function deleteConnectSession(db: Db, token: string, now = Date.now()): Promise<boolean> {
	const hash = await connectSessionHash(token);
	if (!hash) return false;
	const rows = await db
		.delete(connectSessions)
		.where(and(eq(connectSessions.tokenHash, hash), gt(connectSessions.expiresAt, now)))
		.returning({ tokenHash: connectSessions.tokenHash });
	return rows.length > 0;
}

function fromRow(row: ConnectSessionRow): ConnectSession {
	return {
		endUser: row.endUser ? (JSON.parse(row.endUser) as EndUser) : null,
		organization: row.organization ? (JSON.parse(row.organization) as Organization) : null,
		allowedIntegrations: row.allowedIntegrations ? (JSON.parse(row.allowedIntegrations) as string[]) : null,
		integrationsConfigDefaults: JSON.parse(row.integrationsConfigDefaults) as Record<
			string,
			IntegrationDefaults
		>,
		tags: JSON.parse(row.tags) as Record<string, string>,
		reconnect:
			row.reconnectProviderConfigKey !== null && row.reconnectConnectionId !== null
				? { providerConfigKey: row.reconnectProviderConfigKey, connectionId: row.reconnectConnectionId }
				: null,
		webhookUrl: row.webhookUrl,
		expiresAt: row.expiresAt,
	};
}
