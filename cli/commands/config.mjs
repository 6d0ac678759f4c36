// @ts-check
/**
 * `config:*` commands: provider configs (docs/api.md#provider-configs), the OAuth apps registered with the worker.
 * Client secrets appear only in `config:get`.
 */

import { keyValue } from "../arguments.mjs";
import { connect } from "../client.mjs";

/** @import { Command } from "commander" */
/** @import { Context } from "../main.mjs" */
/** @import { Column } from "../output.mjs" */
/** @import { Nango, ProviderConfigInput, ProviderConfigSummary, TemplateFields } from "../../sdk/backend/dist/index.js" */

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
			/** @type {Column<ProviderConfigSummary>[]} */
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

	writeCommand(
		program,
		context,
		"config:create",
		"register an OAuth app (a provider config)",
		(nango, body) => nango.createConfig(body),
		(body) => `Created provider config '${body.provider_config_key}' (provider ${body.provider}).`,
	);

	writeCommand(
		program,
		context,
		"config:edit",
		"replace a provider config (same arguments as config:create)",
		(nango, body) => nango.updateConfig(body),
		(body) => `Updated provider config '${body.provider_config_key}'.`,
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

/**
 * `config:create` and `config:edit`: the same arguments, sent with `save`; they differ only in
 * the method they call and the line they print.
 * @param {Command} program
 * @param {Context} context
 * @param {string} name
 * @param {string} description
 * @param {(nango: Nango, body: ProviderConfigInput) => Promise<unknown>} save
 * @param {(body: ProviderConfigInput) => string} done
 */
function writeCommand(program, context, name, description, save, done) {
	program
		.command(name)
		.description(description)
		.argument("<key>", "provider config key, e.g. github (A-Z a-z 0-9 _ . -)")
		.argument("<provider>", "catalog template (see providers:list), or any name with custom endpoints")
		.argument("<client_id>", "OAuth client id")
		.argument("<client_secret>", "OAuth client secret")
		.argument("<scopes>", 'comma-separated scopes, e.g. "read,write"')
		.option("--authorization-url <url>", "custom provider: authorization endpoint")
		.option("--token-url <url>", "custom provider: token endpoint")
		.option("--param <name=value>", "authorization parameter, repeatable", keyValue)
		.action(async (key, provider, clientId, clientSecret, scopes, options, command) => {
			const { nango, json, output } = await connect(command, context);
			const body = configBody(key, provider, clientId, clientSecret, scopes, options);
			const result = await save(nango, body);
			if (json) return output.json(result);
			output.success(done(body));
		});
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

/** @param {TemplateFields} template @returns {[string, unknown][]} */
function templateLines(template) {
	return [
		["authorization url", template.authorization_url],
		["token url", template.token_url],
		["authorization params", template.authorization_params],
	];
}
