// @ts-check
/**
 * `proxy <method> <endpoint>`: one call to a provider's API through the worker (docs/proxy.md),
 * printing the provider's body as it came; the token never reaches this process.
 */
import { CliError, connect } from "../client.mjs";

/** @import { Command } from "commander" */
/** @import { Context } from "../main.mjs" */

/**
 * @typedef {object} ProxyOptions
 * @property {string} key
 * @property {string} connection
 * @property {string[]} [header]
 * @property {string} [data]
 * @property {string} [retries]
 * @property {string} [baseUrlOverride]
 */

/** @param {string} value @param {string[]} [previous] */
const collect = (value, previous = []) => [...previous, value];

/** @param {Command} program @param {Context} context */
export function proxyCommands(program, context) {
	program
		.command("proxy")
		.description("call the provider's API with a connection's credentials and print its body")
		.argument("<method>", "GET, POST, PUT, PATCH or DELETE")
		.argument("<endpoint>", "the path under the provider's base URL, with its query, e.g. /user?per_page=5")
		.requiredOption("--key <provider_config_key>", "the integration")
		.requiredOption("--connection <connection_id>", "the connection whose credentials are used")
		.option("-H, --header <name:value>", "a header for the provider (repeatable)", collect)
		.option("-d, --data <body>", "the request body, sent as it is")
		.option("--retries <n>", "retries after a 429 or 5xx (0-10)")
		.option("--base-url-override <url>", "another base URL (only hosts the worker allows)")
		.action(async (method, endpoint, /** @type {ProxyOptions} */ options, command) => {
			const { nango, json, output } = await connect(command, context);
			const answer = await nango.proxy({
				method: method.toUpperCase(),
				endpoint,
				providerConfigKey: options.key,
				connectionId: options.connection,
				headers: headers(options.header ?? []),
				...(options.data === undefined ? {} : { data: options.data }),
				...(options.retries === undefined ? {} : { retries: Number(options.retries) }),
				...(options.baseUrlOverride ? { baseUrlOverride: options.baseUrlOverride } : {}),
				responseType: "text",
			});
			if (json) output.json({ status: answer.status, headers: answer.headers, body: answer.data });
			else context.io.stdout.write(String(answer.data));
			if (answer.status >= 400) throw new CliError(`The call answered HTTP ${answer.status}.`);
		});
}

/** @param {string[]} lines */
function headers(lines) {
	/** @type {Record<string, string>} */
	const out = {};
	for (const line of lines) {
		const colon = line.indexOf(":");
		if (colon <= 0) throw new CliError(`--header '${line}' is not 'Name: value'.`);
		out[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
	}
	return out;
}
