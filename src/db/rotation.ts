/**
 * Key rotation (docs/api.md#key-rotation): re-seals every stored secret that an older key sealed, under the
 * current key. Each update is conditional on the ciphertext it replaces, so a row rewritten
 * meanwhile (a refresh) is left alone rather than overwritten with stale data.
 */
import { and, eq } from "drizzle-orm";
import type { Keyring } from "../crypto/cipher";
import type { Db } from "./client";
import { configSecretAad } from "./configs";
import { credentialsAad } from "./connections";
import { configs, connections } from "./schema";

type Statement = Parameters<Db["batch"]>[0][number];

export interface RotationResult {
	configs: number;
	connections: number;
	kid: string;
}

export async function resealAll(db: Db, keyring: Keyring): Promise<RotationResult> {
	const updates: Statement[] = [];
	const configRows = await db
		.select({ id: configs.id, uniqueKey: configs.uniqueKey, sealed: configs.oauthClientSecret })
		.from(configs);
	for (const row of configRows) {
		if (!keyring.isStale(row.sealed)) continue;
		const additional = configSecretAad(row.uniqueKey);
		const resealed = await keyring.seal(await keyring.open(row.sealed, additional), additional);
		updates.push(
			db
				.update(configs)
				.set({ oauthClientSecret: resealed })
				.where(and(eq(configs.id, row.id), eq(configs.oauthClientSecret, row.sealed))),
		);
	}
	const configCount = updates.length;
	const connectionRows = await db
		.select({
			id: connections.id,
			providerConfigKey: connections.providerConfigKey,
			connectionId: connections.connectionId,
			sealed: connections.credentials,
		})
		.from(connections);
	for (const row of connectionRows) {
		if (!keyring.isStale(row.sealed)) continue;
		const additional = credentialsAad(row.providerConfigKey, row.connectionId);
		const resealed = await keyring.seal(await keyring.open(row.sealed, additional), additional);
		updates.push(
			db
				.update(connections)
				.set({ credentials: resealed })
				.where(and(eq(connections.id, row.id), eq(connections.credentials, row.sealed))),
		);
	}
	// D1 caps a batch's size; each chunk is atomic, and a rerun finishes what a failure left.
	for (let i = 0; i < updates.length; i += 50) {
		const [first, ...rest] = updates.slice(i, i + 50);
		if (first) await db.batch([first, ...rest]);
	}
	return { configs: configCount, connections: updates.length - configCount, kid: keyring.currentKid };
}
