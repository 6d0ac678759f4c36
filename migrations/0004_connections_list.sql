-- Pages of the connection list (docs/api.md#paging) read this index alone: it holds every column
-- a list item shows, in id order, so a page never reads the rows' sealed credentials.
CREATE INDEX connections_list ON connections (id, provider_config_key, connection_id, created_at);
