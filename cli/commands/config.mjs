// @ts-check
/**
 * `config:*` commands: provider configs (SPEC §3.1), the OAuth apps registered with the worker.
 * Client secrets appear only in `config:get`.
 */

import { keyValue } from "../arguments.mjs";
import { connect } from "../client.mjs";

/** @import { Command } from "commander" */
/** @import { Context } from "../main.mjs" */
/** @import { ProviderConfigInput, ProviderConfigSummary } from "../../sdk/backend/dist/index.js" */

/**
 * @typedef {object} ConfigWriteOptions
 * @property {string} [authorizationUrl]
 * @property {string} [tokenUrl]
 * @property {Record<string, string>} [param]
 */

/** @param {Command} program @param {Context} context */
export function configCommands(program, context) {
	program
		.command("config:list")
		.description("list provider configs (no secrets)")
		.action(async (_options, command) => {
			const { nango, json, output } = await connect(command, context);
			const list = await nango.listConfigs();
			if (json) return output.json(list);
			/** @type {import("../output.mjs").Column<ProviderConfigSummary>[]} */
			const columns = [
				["KEY", (config) => config.unique_key],
				["PROVIDER", (config) => config.provider],
				["CLIENT ID", (config) => config.oauth_client_id],
				["SCOPES", (config) => config.oauth_scopes],
				["CREATED", (config) => config.created_at],
			];
			output.table(
				list.configs,
				columns,
				"No provider configs yet. Create one with config:create <key> <provider> <client_id> <client_secret> <scopes>.",
			);
		});

	program
		.command("config:get")
		.description("show one provider config, its client secret included")
		.argument("<key>", "provider config key")
		.action(async (key, _options, command) => {
			const { nango, json, output } = await connect(command, context);
			const config = await nango.getConfig(key);
			if (json) return output.json({ config });
			output.details([
				["key", config.unique_key],
				["provider", config.provider],
				["client id", config.oauth_client_id],
				["client secret", config.oauth_client_secret],
				["scopes", config.oauth_scopes],
				...(config.template ? templateLines(config.template) : []),
				["created", config.created_at],
				["updated", config.updated_at],
			]);
		});

	writeCommand(program, "config:create", "register an OAuth app (a provider config)").action(
		async (key, provider, clientId, clientSecret, scopes, options, command) => {
			const { nango, json, output } = await connect(command, context);
			const body = configBody(key, provider, clientId, clientSecret, scopes, options);
			const result = await nango.createConfig(body);
			if (json) return output.json(result);
			output.success(`Created provider config '${key}' (provider ${provider}).`);
		},
	);

	writeCommand(program, "config:edit", "replace a provider config (same arguments as config:create)").action(
		async (key, provider, clientId, clientSecret, scopes, options, command) => {
			const { nango, json, output } = await connect(command, context);
			const body = configBody(key, provider, clientId, clientSecret, scopes, options);
			const result = await nango.updateConfig(body);
			if (json) return output.json(result);
			output.success(`Updated provider config '${key}'.`);
		},
	);

	program
		.command("config:delete")
		.description("delete a provider config")
		.argument("<key>", "provider config key")
		.option("--force", "also delete its connections")
		.action(async (key, options, command) => {
			const { nango, json, output } = await connect(command, context);
			await nango.deleteConfig(key, { force: Boolean(options.force) });
			if (json) return output.json({ result: "ok" });
			output.success(`Deleted provider config '${key}'${options.force ? " and its connections" : ""}.`);
		});
}

/** @param {Command} program @param {string} name @param {string} description */
function writeCommand(program, name, description) {
	return program
		.command(name)
		.description(description)
		.argument("<key>", "provider config key, e.g. github (A-Z a-z 0-9 _ . -)")
		.argument("<provider>", "catalog template (see providers:list), or any name with custom endpoints")
		.argument("<client_id>", "OAuth client id")
		.argument("<client_secret>", "OAuth client secret")
		.argument("<scopes>", 'comma-separated scopes, e.g. "read,write"')
		.option("--authorization-url <url>", "custom provider: authorization endpoint")
		.option("--token-url <url>", "custom provider: token endpoint")
		.option("--param <name=value>", "authorization parameter, repeatable", keyValue);
}

/**
 * @param {string} key
 * @param {string} provider
 * @param {string} clientId
 * @param {string} clientSecret
 * @param {string} scopes
 * @param {ConfigWriteOptions} options
 * @returns {ProviderConfigInput}
 */
function configBody(key, provider, clientId, clientSecret, scopes, options) {
	return {
		provider_config_key: key,
		provider,
		oauth_client_id: clientId,
		oauth_client_secret: clientSecret,
		oauth_scopes: scopes
			.split(",")
			.map((scope) => scope.trim())
			.filter((scope) => scope.length > 0),
		...(options.authorizationUrl ? { authorization_url: options.authorizationUrl } : {}),
		...(options.tokenUrl ? { token_url: options.tokenUrl } : {}),
		...(options.param ? { authorization_params: options.param } : {}),
	};
}

/** @param {import("../../sdk/backend/dist/index.js").TemplateFields} template @returns {[string, unknown][]} */
function templateLines(template) {
	return [
		["authorization url", template.authorization_url],
		["token url", template.token_url],
		["authorization params", template.authorization_params],
	];
}
