/**
 * The only table definitions (Drizzle, D1). `migrations/` holds the same tables as SQL;
 * docs/storage-schema.md says what every column means and which are ciphertext.
 */
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** SQLite's clock as the ISO text every timestamp column holds. */
export const sqlNow = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

export const configs = sqliteTable("configs", {
	id: integer("id").primaryKey({ autoIncrement: true }),
	uniqueKey: text("unique_key").notNull().unique(),
	provider: text("provider").notNull(),
	oauthClientId: text("oauth_client_id").notNull(),
	/** ciphertext (AES-GCM envelope, additional data: config key) */
	oauthClientSecret: text("oauth_client_secret").notNull(),
	/** comma-joined */
	oauthScopes: text("oauth_scopes").notNull(),
	/** JSON object of template fields for custom configs and overrides; not secret */
	template: text("template"),
	/**
	 * GitHub App configs only (migrations/0005): the app's slug; their app id is in
	 * oauth_client_id and their private key (sealed) in oauth_client_secret
	 */
	appSlug: text("app_slug"),
	createdAt: text("created_at").notNull().default(sqlNow),
	updatedAt: text("updated_at").notNull().default(sqlNow),
});

export const connections = sqliteTable(
	"connections",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		providerConfigKey: text("provider_config_key")
			.notNull()
			.references(() => configs.uniqueKey, { onDelete: "cascade", onUpdate: "cascade" }),
		connectionId: text("connection_id").notNull(),
		/** "OAUTH2" | "OAUTH1": lets list views and the freshness check skip decryption */
		authMode: text("auth_mode").notNull(),
		/** ciphertext of the Credentials JSON (tokens and raw response), bound to the row */
		credentials: text("credentials").notNull(),
		/** access-token expiry, epoch ms; null when the provider gave none */
		expiresAt: integer("expires_at"),
		/** whether the credentials hold a refresh token (plain, so reads can decide without decrypting) */
		refreshable: integer("refreshable", { mode: "boolean" }).notNull().default(false),
		/**
		 * epoch ms when the provider issued the current credentials (authorization or refresh);
		 * null when unknown (imported). Gives the token's lifetime (expiry minus issue), and is the
		 * credentials' generation: a refresh writes only over the generation it refreshed.
		 */
		credentialsIssuedAt: integer("credentials_issued_at"),
		connectionConfig: text("connection_config").notNull().default("{}"),
		metadata: text("metadata").notNull().default("{}"),
		needsReauth: integer("needs_reauth", { mode: "boolean" }).notNull().default(false),
		/** JSON {code, message, at} of the last failed refresh, or null */
		lastRefreshError: text("last_refresh_error"),
		/** JSON EndUser (with its organization) of the connect session that made it, or null */
		endUser: text("end_user"),
		/** JSON object of string tags from that connect session */
		tags: text("tags").notNull().default("{}"),
		/** 1 on creation, one more per new authorization: tells a creation from an override */
		authorizations: integer("authorizations").notNull().default(1),
		/** consecutive failed refreshes; 0 after a success or a new authorization */
		refreshFailures: integer("refresh_failures").notNull().default(0),
		/** too many consecutive failures: reads answer 424 until re-authorized or forced */
		refreshExhausted: integer("refresh_exhausted", { mode: "boolean" }).notNull().default(false),
		createdAt: text("created_at").notNull().default(sqlNow),
		updatedAt: text("updated_at").notNull().default(sqlNow),
	},
	(table) => [
		uniqueIndex("connections_key_id").on(table.providerConfigKey, table.connectionId),
		index("connections_connection_id").on(table.connectionId),
		// covering index of list pages (migrations/0004)
		index("connections_list").on(table.id, table.providerConfigKey, table.connectionId, table.createdAt),
		// the background refresh's two queues (migrations/0006, partial: refreshable and not exhausted)
		index("connections_idle").on(table.credentialsIssuedAt),
		index("connections_expiring").on(table.expiresAt),
	],
);

/** OAuth flow sessions (docs/flows.md#flow-sessions): single use, 10-minute expiry. */
export const oauthSessions = sqliteTable("oauth_sessions", {
	/** the `state` sent to the provider: 256 random bits, base64url */
	id: text("id").primaryKey(),
	providerConfigKey: text("provider_config_key").notNull(),
	connectionId: text("connection_id").notNull(),
	/** ciphertext of the session JSON (PKCE verifier, OAuth1 request secret, params), bound to the id */
	payload: text("payload").notNull(),
	expiresAt: integer("expires_at").notNull(),
});

/**
 * Connect sessions (docs/connect-sessions.md): 30-minute tokens minted by the app's backend. Only
 * the token's SHA-256 is kept; the other columns are JSON and not secret.
 */
export const connectSessions = sqliteTable(
	"connect_sessions",
	{
		/** hex SHA-256 of the token */
		tokenHash: text("token_hash").primaryKey(),
		endUser: text("end_user"),
		organization: text("organization"),
		/** JSON array of config keys, or null for all */
		allowedIntegrations: text("allowed_integrations"),
		integrationsConfigDefaults: text("integrations_config_defaults").notNull().default("{}"),
		tags: text("tags").notNull().default("{}"),
		/** set for a reconnect session: the one connection its flows may replace */
		reconnectProviderConfigKey: text("reconnect_provider_config_key"),
		reconnectConnectionId: text("reconnect_connection_id"),
		/** webhook_url_override: where the auth webhooks of its connections go */
		webhookUrl: text("webhook_url"),
		/** epoch ms */
		expiresAt: integer("expires_at").notNull(),
		createdAt: text("created_at").notNull().default(sqlNow),
	},
	(table) => [index("connect_sessions_expires_at").on(table.expiresAt)],
);

export type ConnectSessionRow = typeof connectSessions.$inferSelect;
export type ConfigRow = typeof configs.$inferSelect;
export type ConnectionRow = typeof connections.$inferSelect;
