/**
 * One refresh of a connection's credentials: its config and template loaded, then its auth
 * mode's `refresh` called. Only the connection's refresher (`refresher.ts`) calls this.
 */
import type { Refreshed } from "../auth-modes/mode";
import { authMode } from "../auth-modes/registry";
import type { Keyring } from "../crypto/cipher";
import type { Db } from "../db/client";
import { findConfig } from "../db/configs";
import type { Connection } from "../db/connections";
import type { Credentials } from "./credentials";
import { connectionTemplate } from "./template";

export async function renewCredentials(
	db: Db,
	keyring: Keyring,
	connection: Connection,
	now: number,
): Promise<Refreshed<Credentials>> {
	const { credentials } = connection;
	const mode = authMode(credentials.type);
	const template = connectionTemplate(connection);
	if (!mode.refresh || template?.auth_mode !== credentials.type) {
		return {
			ok: false,
			reason: "misconfigured",
			message: `the config names no ${credentials.type} template that can refresh.`,
		};
	}
	const config = await findConfig(db, keyring, connection.providerConfigKey);
	// The config went away after the connection was read: its connections went with it.
	if (!config) return { ok: false, reason: "gone" };
	return mode.refresh({
		config,
		template,
		credentials,
		connectionConfig: connection.connectionConfig,
		now,
	});
}
