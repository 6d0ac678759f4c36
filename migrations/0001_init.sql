-- Initial schema: provider configs, connections, OAuth flow sessions.
-- Keep in step with src/db/schema.ts; docs/storage-schema.md documents every column.
CREATE TABLE configs (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	unique_key TEXT NOT NULL UNIQUE,
	provider TEXT NOT NULL,
	oauth_client_id TEXT NOT NULL,
	oauth_client_secret TEXT NOT NULL,
	oauth_scopes TEXT NOT NULL,
	template TEXT,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
	updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE connections (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	provider_config_key TEXT NOT NULL REFERENCES configs(unique_key) ON DELETE CASCADE ON UPDATE CASCADE,
	connection_id TEXT NOT NULL,
	auth_mode TEXT NOT NULL,
	credentials TEXT NOT NULL,
	expires_at INTEGER,
	refreshable INTEGER NOT NULL DEFAULT 0,
	connection_config TEXT NOT NULL DEFAULT '{}',
	metadata TEXT NOT NULL DEFAULT '{}',
	needs_reauth INTEGER NOT NULL DEFAULT 0,
	last_refresh_error TEXT,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
	updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE UNIQUE INDEX connections_key_id ON connections (provider_config_key, connection_id);
CREATE INDEX connections_connection_id ON connections (connection_id);

CREATE TABLE oauth_sessions (
	id TEXT PRIMARY KEY,
	provider_config_key TEXT NOT NULL,
	connection_id TEXT NOT NULL,
	payload TEXT NOT NULL,
	expires_at INTEGER NOT NULL
);
CREATE INDEX oauth_sessions_expires_at ON oauth_sessions (expires_at);
