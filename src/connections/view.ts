/**
 * How a connection looks on the wire: the early Nango object (docs/api.md#connections) and the Pizzly
 * document's form (docs/api.md#pizzly-form). One place, so every route answers the same shape.
 */
import type { Connection, ConnectionSummary } from "../db/connections";
import { isRecord } from "../providers/fetch";
import type { Credentials, OAuth2Credentials } from "./credentials";

export function connectionObject(connection: Connection, options: { includeRefreshToken: boolean }) {
	const { credentials } = connection;
	let wireCredentials: Credentials | Omit<OAuth2Credentials, "refresh_token"> = credentials;
	if (credentials.type === "OAUTH2" && !options.includeRefreshToken) {
		const { refresh_token: _hidden, ...rest } = credentials;
		// The raw token response holds the same token, and Slack nests another under `authed_user`.
		wireCredentials = { ...rest, raw: withoutRefreshTokens(credentials.raw) };
	}
	return {
		id: connection.id,
		created_at: connection.createdAt,
		updated_at: connection.updatedAt,
		provider_config_key: connection.providerConfigKey,
		connection_id: connection.connectionId,
		credentials: wireCredentials,
		connection_config: connection.connectionConfig,
		metadata: connection.metadata,
		account_id: 0,
		needs_reauth: connection.needsReauth,
		last_refresh_error: connection.lastRefreshError,
		// consecutive failed refreshes, and whether they exhausted it (docs/background-refresh.md#failures)
		refresh_failures: connection.refreshFailures,
		refresh_exhausted: connection.refreshExhausted,
		// today's Nango: who the connection belongs to (from its connect session), else null
		end_user: connection.endUser,
		tags: connection.tags,
	};
}

export function pizzlyConnection(connection: Connection) {
	const { credentials } = connection;
	return {
		connection: {
			id: connection.id,
			created_at: connection.createdAt,
			updated_at: connection.updatedAt,
			integration_key: connection.providerConfigKey,
			connection_id: connection.connectionId,
			credentials: pizzlyCredentials(credentials),
			raw_response: "raw" in credentials ? credentials.raw : {},
			connection_config: connection.connectionConfig,
			metadata: connection.metadata,
			needs_reauth: connection.needsReauth,
		},
	};
}

/** The Pizzly document's camelCase credentials; modes it never knew keep today's field names. */
function pizzlyCredentials(credentials: Credentials) {
	switch (credentials.type) {
		case "OAUTH2":
			return {
				type: credentials.type,
				accessToken: credentials.access_token,
				...(credentials.refresh_token ? { refreshToken: credentials.refresh_token } : {}),
				...(credentials.expires_at ? { expiresAt: credentials.expires_at } : {}),
				raw: credentials.raw,
			};
		case "OAUTH1":
			return {
				type: credentials.type,
				oAuthToken: credentials.oauth_token,
				oAuthTokenSecret: credentials.oauth_token_secret,
				raw: credentials.raw,
			};
		case "OAUTH2_CC":
		case "API_KEY":
		case "BASIC":
		case "APP":
			return credentials;
	}
}

/** The early list item: `provider` holds the config key (sic, docs/api.md#connections). */
export function connectionListItem(summary: ConnectionSummary) {
	return {
		id: summary.id,
		connection_id: summary.connectionId,
		provider: summary.providerConfigKey,
		provider_config_key: summary.providerConfigKey,
		created: summary.createdAt,
	};
}

/** A copy of a provider's JSON without any `refresh_token` field, at any depth. */
function withoutRefreshTokens(raw: Record<string, unknown>): Record<string, unknown> {
	const copy: Record<string, unknown> = {};
	for (const [name, value] of Object.entries(raw)) {
		if (name !== "refresh_token") copy[name] = withoutRefreshTokensIn(value);
	}
	return copy;
}

function withoutRefreshTokensIn(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(withoutRefreshTokensIn);
	return isRecord(value) ? withoutRefreshTokens(value) : value;
}

export const JSON_TYPE = { "content-type": "application/json" } as const;

export type WireShape = "early" | "modern" | "modern_with_refresh_token" | "pizzly";

// A connection served from the isolate's memory is the same object on every read: its JSON is
// written once per shape, not on every `getToken()`. Weak: it goes when the connection does.
const written = new WeakMap<Connection, Map<WireShape, string>>();

/** The connection's JSON in one wire shape (docs/api.md#connection-object). */
export function connectionJson(connection: Connection, shape: WireShape): string {
	let shapes = written.get(connection);
	if (!shapes) {
		shapes = new Map();
		written.set(connection, shapes);
	}
	let json = shapes.get(shape);
	if (json === undefined) {
		const body =
			shape === "pizzly"
				? pizzlyConnection(connection)
				: connectionObject(connection, { includeRefreshToken: shape !== "modern" });
		json = JSON.stringify(body);
		shapes.set(shape, json);
	}
	return json;
}
