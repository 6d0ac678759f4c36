// @ts-check
/**
 * The CLI's core (README.md#cli): `run(argv, io)` parses the command line with commander, calls the
 * backend SDK and writes to the given streams. It returns the exit code instead of exiting, so
 * tests can run it in-process as well as through `cli/bin.mjs`.
 *
 * @example
 * const code = await run(["config:list", "--json"], { stdout: process.stdout, stderr: process.stderr, env: process.env });
 */
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { CliError, DEFAULT_HOST, resolveHost } from "./client.mjs";
import { configCommands } from "./commands/config.mjs";
import { connectionCommands } from "./commands/connection.mjs";
import { providerCommands } from "./commands/providers.mjs";
import { proxyCommands } from "./commands/proxy.mjs";
import { createOutput } from "./output.mjs";

/** @import { Output } from "./output.mjs" */

/**
 * @typedef {object} Stream
 * @property {(chunk: string) => unknown} write
 * @property {boolean} [isTTY]
 */

/**
 * @typedef {object} Io
 * @property {Stream} stdout
 * @property {Stream} stderr
 * @property {Record<string, string | undefined>} env
 * @property {(request: Request) => Promise<Response>} [fetch] replaces the global fetch
 * @property {string} [programName] "nango" or "pizzly", for help texts
 */

/**
 * What command modules receive.
 * @typedef {object} Context
 * @property {Io} io
 * @property {Output} output
 */

const EXIT_OK = 0;
/** the worker refused, failed or could not be reached */
const EXIT_FAILURE = 1;
/** the command line itself is wrong (commander's usage errors) */
const EXIT_USAGE = 2;

const VERSION = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version;

/**
 * @param {string[]} argv arguments after the program name
 * @param {Io} io
 * @returns {Promise<number>} the exit code
 */
export async function run(argv, io) {
	const output = createOutput(io);
	const program = buildProgram(io, output);
	try {
		await program.parseAsync(argv, { from: "user" });
		return EXIT_OK;
	} catch (error) {
		// Help and --version end with a CommanderError too, with exit code 0.
		if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
		const json = Boolean(program.opts().json);
		return reportFailure(error, output, json, resolveHost(program.opts(), io));
	}
}

/** @param {Io} io @param {Output} output */
function buildProgram(io, output) {
	const name = io.programName ?? "nango";
	const program = new Command(name)
		.description("Manage provider configs, connections and tokens of a nango-edge worker.")
		.version(VERSION, "-v, --version", "print the CLI version")
		.option("--host <url>", `the worker's URL (env NANGO_HOSTPORT, default ${DEFAULT_HOST})`)
		.option("--secret-key <key>", "the worker's secret key (env NANGO_SECRET_KEY)")
		.option("--json", "print the worker's JSON instead of tables")
		.exitOverride()
		.showSuggestionAfterError()
		.configureOutput({
			writeOut: (text) => io.stdout.write(text),
			writeErr: (text) => io.stderr.write(text),
			outputError: (text, write) => write(output.errorText(text)),
		})
		.addHelpText(
			"after",
			`
Environment:
  NANGO_HOSTPORT     the worker's URL (fallback PIZZLY_HOSTPORT), default ${DEFAULT_HOST}
  NANGO_SECRET_KEY   the worker's secret key (fallback PIZZLY_SECRET_KEY)
  NO_COLOR           no colours even on a terminal

Examples:
  ${name} config:create github github <client_id> <client_secret> "read:user,repo"
  ${name} token:get github alice@example.com
  ${name} proxy GET /user --key github --connection alice@example.com`,
		);
	// Subcommands copy the output and exit settings above, so they are added after them.
	const context = { io, output };
	configCommands(program, context);
	connectionCommands(program, context);
	providerCommands(program, context);
	proxyCommands(program, context);
	return program;
}

/**
 * One place turns every failure into a message and an exit code: the worker's own message and
 * code, a hint where the fix is known, never a stack trace.
 * @param {unknown} error
 * @param {Output} output
 * @param {boolean} json
 * @param {string} host
 */
function reportFailure(error, output, json, host) {
	const { message, code, hint } = describe(error, host);
	if (json) output.jsonFailure({ error: message, code });
	else output.failure(`${message} (${code})`, hint);
	return EXIT_FAILURE;
}

/**
 * @param {unknown} error
 * @param {string} host
 * @returns {{ message: string, code: string, hint?: string }}
 */
function describe(error, host) {
	if (error instanceof CliError) {
		return { message: error.message, code: "cli_error", ...(error.hint ? { hint: error.hint } : {}) };
	}
	if (!(error instanceof Error)) return { message: String(error), code: "unexpected_error" };
	const { message } = error;
	// A NangoError carries the worker's code (or network_error, timeout); an error without one is unexpected.
	const code = "code" in error && typeof error.code === "string" ? error.code : "unexpected_error";
	switch (code) {
		case "network_error":
			return {
				message: `Could not reach the worker at ${host}`,
				code,
				hint: "Is it running? Start it with `npm run dev`, or point the CLI at it with --host or NANGO_HOSTPORT.",
			};
		case "timeout":
			return { message: `The worker at ${host} did not answer in time`, code };
		case "missing_auth_header":
		case "malformed_auth_header":
		case "invalid_secret_key":
			return {
				message,
				code,
				hint: "Set NANGO_SECRET_KEY (or pass --secret-key) to the worker's NANGO_SECRET_KEY.",
			};
		case "config_has_connections":
			return { message, code, hint: "Delete its connections first, or pass --force to delete them with it." };
		default:
			return { message, code };
	}
}
