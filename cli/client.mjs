// @ts-check
/**
 * The CLI's connection to the worker: the backend SDK's client, configured from the flags, then
 * NANGO_* and PIZZLY_* environment variables, then the `npm run dev` default.
 */

/** @import { Command } from "commander" */
/** @import { Context, Io } from "./main.mjs" */
/** @import { Nango } from "../sdk/backend/dist/index.js" */

/** The SDK's default too, repeated so `help` works in a clone whose SDK is not built yet. */
export const DEFAULT_HOST = "http://localhost:3003";

/** A failure the CLI explains itself (no worker involved); exits with status 1. */
export class CliError extends Error {
	/** @param {string} message @param {string} [hint] */
	constructor(message, hint) {
		super(message);
		this.name = "CliError";
		this.hint = hint;
	}
}

/**
 * @typedef {object} GlobalOptions
 * @property {string} [host]
 * @property {string} [secretKey]
 * @property {boolean} [json]
 */

/** @param {GlobalOptions} options @param {Io} io */
export function resolveHost(options, io) {
	return firstSet(options.host, io.env.NANGO_HOSTPORT, io.env.PIZZLY_HOSTPORT) ?? DEFAULT_HOST;
}

/**
 * @param {GlobalOptions} options
 * @param {Io} io
 * @returns {Promise<Nango>}
 */
async function createClient(options, io) {
	const { Nango } = await loadSdk();
	const secretKey = firstSet(options.secretKey, io.env.NANGO_SECRET_KEY, io.env.PIZZLY_SECRET_KEY);
	const host = resolveHost(options, io);
	try {
		return new Nango({ host, secretKey, fetch: io.fetch });
	} catch (error) {
		throw new CliError(
			error instanceof Error ? error.message : String(error),
			`Give the worker's URL with --host or NANGO_HOSTPORT, e.g. ${DEFAULT_HOST}.`,
		);
	}
}

/**
 * What every command's action starts with: its client and output mode.
 * @param {Command} command the command whose action runs
 * @param {Context} context
 */
export async function connect(command, context) {
	/** @type {GlobalOptions} */
	const options = command.optsWithGlobals();
	return {
		nango: await createClient(options, context.io),
		json: Boolean(options.json),
		output: context.output,
	};
}

/**
 * The SDK is TypeScript built by `npm install` (the root `prepare` script). A clone without
 * it gets a sentence saying so instead of a module-resolution stack trace.
 */
async function loadSdk() {
	try {
		return await import("../sdk/backend/dist/index.js");
	} catch (error) {
		if (error instanceof Error && "code" in error && error.code === "ERR_MODULE_NOT_FOUND") {
			throw new CliError(
				"The backend SDK is not built.",
				"Run `npm install` (or `npm run build:sdk`) in the nango-edge folder.",
			);
		}
		throw error;
	}
}

/**
 * Empty variables count as unset: `NANGO_SECRET_KEY= nango …` should not send an empty key.
 * @param {(string | undefined)[]} values
 */
function firstSet(...values) {
	return values.find((value) => value !== undefined && value.trim() !== "");
}
