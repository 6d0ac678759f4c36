// @ts-check
/**
 * `connection:*` and `token:get` commands (docs/api.md#connections). Tokens appear only in `token:get`:
 * `connection:get` shows when a token expires, never the token, even with --json.
 */
import { expiresAt, keyValue } from "../arguments.mjs";
import { connect } from "../client.mjs";

/** @import { Command } from "commander" */
/** @import { Context } from "../main.mjs" */
/** @import { Column, Output } from "../output.mjs" */
/** @import { Connection, ConnectionListItem, ImportConnectionInput } from "../../sdk/backend/dist/index.js" */

const REDACTED = "[redacted: use token:get]";

/**
 * @typedef {object} ImportOptions
 * @property {string} [accessToken]
 * @property {string} [refreshToken]
 * @property {string | number} [expiresAt]
 * @property {string} [oauthToken]
 * @property {string} [oauthTokenSecret]
 * @property {string} [apiKey]
 * @property {string} [username]
 * @property {string} [password]
 * @property {Record<string, string>} [connectionConfig]
 */

/** @param {Command} program @param {Context} context */
export function connectionCommands(program, context) {
	program
		.command("connection:list")
		.description("list connections (no credentials)")
		.action(async (_options, command) => {
			const { nango, json, output } = await connect(command, context);
			const list = await nango.listConnections();
			if (json) return output.json(list);
			/** @type {Column<ConnectionListItem>[]} */
			const columns = [
				["PROVIDER CONFIG KEY", (connection) => connection.provider_config_key],
				["CONNECTION ID", (connection) => connection.connection_id],
				["CREATED", (connection) => connection.created],
			];
			output.table(list.connections, columns, "No connections yet.");
		});

	readCommand(
		program,
		context,
		"connection:get",
		"show a connection (its tokens redacted: see token:get)",
		(connection, json, output) => {
			if (json) return output.json(redact(connection));
			const { credentials } = connection;
			output.details([
				["provider config key", connection.provider_config_key],
				["connection id", connection.connection_id],
				["type", credentials.type],
				...(credentials.type === "OAUTH2"
					? /** @type {[string, unknown][]} */ ([
							["expires at", credentials.expires_at ?? "never (no expiry given)"],
							["refresh token", credentials.refresh_token ? "yes" : "no"],
						])
					: []),
				["needs reauth", connection.needs_reauth ? "yes: the user must authorize again" : "no"],
				["last refresh error", connection.last_refresh_error],
				["connection config", connection.connection_config],
				["metadata", connection.metadata],
				["created", connection.created_at],
				["updated", connection.updated_at],
			]);
		},
	);

	program
		.command("connection:delete")
		.description("delete a connection and its credentials")
		.argument("<key>", "provider config key")
		.argument("<connection_id>", "connection id")
		.action(async (key, connectionId, _options, command) => {
			const { nango, json, output } = await connect(command, context);
			await nango.deleteConnection(key, connectionId);
			if (json) return output.json({ result: "ok" });
			output.success(`Deleted connection '${connectionId}' of '${key}'.`);
		});

	program
		.command("connection:import")
		.description("store credentials obtained elsewhere as a connection")
		.argument("<key>", "provider config key")
		.argument("<connection_id>", "connection id")
		.option("--access-token <token>", "OAuth 2 access token")
		.option("--refresh-token <token>", "OAuth 2 refresh token")
		.option("--expires-at <when>", "access token expiry: ISO date or epoch seconds", expiresAt)
		.option("--oauth-token <token>", "OAuth 1.0a token")
		.option("--oauth-token-secret <secret>", "OAuth 1.0a token secret")
		.option("--api-key <key>", "an API key (API_KEY integrations)")
		.option("--username <name>", "basic auth username (BASIC integrations)")
		.option("--password <password>", "basic auth password (BASIC integrations)")
		.option("--connection-config <name=value>", "connection config value, repeatable", keyValue)
		.action(async (key, connectionId, options, command) => {
			const body = importBody(key, connectionId, options, command);
			const { nango, json, output } = await connect(command, context);
			const connection = await nango.importConnection(body);
			if (json) return output.json(redact(connection));
			output.success(`Imported connection '${connectionId}' of '${key}'.`);
		});

	readCommand(
		program,
		context,
		"token:get",
		"print a fresh access token (API key: the key; basic, OAuth 1.0a: both parts)",
		(connection, json, output) => {
			if (json) return output.json(connection);
			const { credentials } = connection;
			// The bare token on stdout, so `TOKEN=$(nango token:get github alice)` works.
			switch (credentials.type) {
				case "OAUTH2":
				case "APP":
					return output.line(credentials.access_token);
				case "OAUTH2_CC":
					return output.line(credentials.token);
				case "API_KEY":
					return output.line(credentials.apiKey);
				case "BASIC":
					return output.details([
						["username", credentials.username],
						["password", credentials.password],
					]);
				case "OAUTH1":
					return output.details([
						["oauth_token", credentials.oauth_token],
						["oauth_token_secret", credentials.oauth_token_secret],
					]);
			}
		},
	);
}

/**
 * A command that reads one connection (refreshed first with --force-refresh) and prints it with
 * `show`: `connection:get` and `token:get` differ only in what they print.
 * @param {Command} program
 * @param {Context} context
 * @param {string} name
 * @param {string} description
 * @param {(connection: Connection, json: boolean, output: Output) => void} show
 */
function readCommand(program, context, name, description, show) {
	program
		.command(name)
		.description(description)
		.argument("<key>", "provider config key")
		.argument("<connection_id>", "connection id")
		.option("--force-refresh", "refresh the access token now")
		.action(async (key, connectionId, options, command) => {
			const { nango, json, output } = await connect(command, context);
			const connection = await nango.getConnection(key, connectionId, {
				forceRefresh: Boolean(options.forceRefresh),
			});
			show(connection, json, output);
		});
}

/**
 * @param {string} key
 * @param {string} connectionId
 * @param {ImportOptions} options
 * @param {Command} command reports a usage error (exit code 2) before any request
 * @returns {ImportConnectionInput}
 */
function importBody(key, connectionId, options, command) {
	const oauth1 = options.oauthToken !== undefined || options.oauthTokenSecret !== undefined;
	const basic = options.username !== undefined || options.password !== undefined;
	const kinds = [options.accessToken !== undefined, oauth1, options.apiKey !== undefined, basic].filter(
		Boolean,
	);
	if (kinds.length > 1) {
		command.error(
			"error: give one kind of credentials: --access-token, --oauth-token, --api-key or --username/--password.",
		);
	}
	const common = {
		provider_config_key: key,
		connection_id: connectionId,
		...(options.connectionConfig ? { connection_config: options.connectionConfig } : {}),
	};
	if (options.apiKey !== undefined)
		return { ...common, credentials: { type: "API_KEY", apiKey: options.apiKey } };
	if (basic) {
		return {
			...common,
			credentials: { type: "BASIC", username: options.username ?? "", password: options.password ?? "" },
		};
	}
	if (!options.accessToken && !(options.oauthToken && options.oauthTokenSecret)) {
		command.error(
			"error: give --access-token (OAuth 2), both --oauth-token and --oauth-token-secret (OAuth 1.0a), --api-key, or --username and --password.",
		);
	}
	return {
		provider_config_key: key,
		connection_id: connectionId,
		...(options.accessToken ? { access_token: options.accessToken } : {}),
		...(options.refreshToken ? { refresh_token: options.refreshToken } : {}),
		...(options.expiresAt !== undefined ? { expires_at: options.expiresAt } : {}),
		...(options.oauthToken ? { oauth_token: options.oauthToken } : {}),
		...(options.oauthTokenSecret ? { oauth_token_secret: options.oauthTokenSecret } : {}),
		...(options.connectionConfig ? { connection_config: options.connectionConfig } : {}),
	};
}

/**
 * The worker's connection object with every secret value replaced, so `connection:get --json`
 * can be pasted into an issue or a log.
 * @param {Connection} connection
 */
function redact(connection) {
	return { ...connection, credentials: redactCredentials(connection.credentials) };
}

/** @param {Connection["credentials"]} credentials */
function redactCredentials(credentials) {
	switch (credentials.type) {
		case "OAUTH2":
			return {
				...credentials,
				access_token: REDACTED,
				...(credentials.refresh_token ? { refresh_token: REDACTED } : {}),
				raw: REDACTED,
			};
		case "OAUTH1":
			return { ...credentials, oauth_token: REDACTED, oauth_token_secret: REDACTED, raw: REDACTED };
		case "OAUTH2_CC":
			return { ...credentials, token: REDACTED, client_secret: REDACTED, raw: REDACTED };
		case "APP":
			return { ...credentials, access_token: REDACTED, raw: REDACTED };
		case "API_KEY":
			return { ...credentials, apiKey: REDACTED };
		case "BASIC":
			return { ...credentials, password: REDACTED };
	}
}
