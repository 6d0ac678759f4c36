// @ts-check
/**
 * `providers:list [filter]`: the worker's template catalog (docs/api.md#provider-catalog), to pick the <provider>
 * argument of config:create.
 */
import { connect } from "../client.mjs";

/** @import { Command } from "commander" */
/** @import { Context } from "../main.mjs" */
/** @import { Column } from "../output.mjs" */
/** @import { ProviderSummary } from "../../sdk/backend/dist/index.js" */

/** @param {Command} program @param {Context} context */
export function providerCommands(program, context) {
	program
		.command("providers:list")
		.description("list provider templates, optionally those whose key or name contains [filter]")
		.argument("[filter]", "text to look for in the key or name (case-insensitive)")
		.action(async (filter, _options, command) => {
			const { nango, json, output } = await connect(command, context);
			const { providers } = await nango.listProviders();
			const needle = (filter ?? "").toLowerCase();
			const matches = providers.filter(
				(provider) =>
					provider.key.toLowerCase().includes(needle) || provider.name.toLowerCase().includes(needle),
			);
			if (json) return output.json({ providers: matches });
			/** @type {Column<ProviderSummary>[]} */
			const columns = [
				["KEY", (provider) => provider.key],
				["NAME", (provider) => provider.name],
				["AUTH MODE", (provider) => provider.auth_mode],
			];
			output.table(
				matches,
				columns,
				filter ? `No provider template matches '${filter}'.` : "No provider templates.",
			);
		});
}
