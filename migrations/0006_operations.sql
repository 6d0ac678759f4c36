-- Auth webhooks (docs/webhooks.md) and background refresh (docs/background-refresh.md).
-- 1 on creation, one more on each new authorization: the write that stores an authorization
-- answers whether it created the connection or replaced its credentials, in one statement.
ALTER TABLE connections ADD COLUMN authorizations INTEGER NOT NULL DEFAULT 1;
-- Consecutive failed refreshes; reset by a successful refresh or a new authorization.
ALTER TABLE connections ADD COLUMN refresh_failures INTEGER NOT NULL DEFAULT 0;
-- Set after NANGO_REFRESH_MAX_FAILURES consecutive failures: reads answer 424 until re-authorized or forced.
ALTER TABLE connections ADD COLUMN refresh_exhausted INTEGER NOT NULL DEFAULT 0;
-- A connect session's webhook_url_override: where its connections' auth webhooks go.
ALTER TABLE connect_sessions ADD COLUMN webhook_url TEXT;
-- The background refresh reads these two: refresh tokens idle longest, tokens expiring soonest.
CREATE INDEX connections_idle ON connections (credentials_issued_at) WHERE refreshable = 1 AND refresh_exhausted = 0;
CREATE INDEX connections_expiring ON connections (expires_at) WHERE refreshable = 1 AND refresh_exhausted = 0;
