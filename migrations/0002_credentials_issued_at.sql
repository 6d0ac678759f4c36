-- When the provider issued a connection's current credentials (epoch ms), for the token-refresh
-- margin (docs/flows.md#refresh-margin: never more than half the token's lifetime, so the lifetime must be known) and
-- as the credentials' generation: a refresh writes only over the generation it refreshed.
-- NULL when unknown (imported credentials, rows older than this migration).
ALTER TABLE connections ADD COLUMN credentials_issued_at INTEGER;
