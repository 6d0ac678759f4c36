-- Connect sessions (docs/connect-sessions.md): short-lived tokens the app's backend mints so an end
-- user's browser may start one flow. Only the SHA-256 of a token is stored; the token itself
-- cannot be read back. Nothing here is secret beyond the token, so nothing is sealed.
CREATE TABLE connect_sessions (
	token_hash TEXT PRIMARY KEY NOT NULL,
	end_user TEXT,
	organization TEXT,
	allowed_integrations TEXT,
	integrations_config_defaults TEXT NOT NULL DEFAULT '{}',
	tags TEXT NOT NULL DEFAULT '{}',
	reconnect_provider_config_key TEXT,
	reconnect_connection_id TEXT,
	expires_at INTEGER NOT NULL,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX connect_sessions_expires_at ON connect_sessions (expires_at);

-- Who a connection belongs to in the app (the end user and organization of the connect session
-- that created it) and the session's tags: JSON, NULL / '{}' for connections made otherwise.
ALTER TABLE connections ADD COLUMN end_user TEXT;
ALTER TABLE connections ADD COLUMN tags TEXT NOT NULL DEFAULT '{}';
