/**
 * The CLI as a process, and what the CLI test files share: `runCli` runs the real CLI as a user
 * would (`node cli/bin.mjs …`, or `npx nango …` / `npx pizzly …` from the repository) with
 * inherited NANGO_* and PIZZLY_* variables dropped, so each test says exactly what it
 * configures; `useCliWorker` gives a file a real worker, the environment that points the CLI at
 * it and the worker's own JSON for comparisons; and the secrets that must never reach the screen.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import { type RunningWorker, startWorker, TEST_SECRET_KEY } from "../../support/worker.js";

export const ROOT = path.resolve(import.meta.dirname, "../../..");

export const CLIENT_ID = "Iv1.cli-client-id";
export const CLIENT_SECRET = "cli-client-secret-do-not-print";
export const ACCESS_TOKEN = "gho_cli_access_token_do_not_print";
export const REFRESH_TOKEN = "ghr_cli_refresh_token_do_not_print";
/** the start of an ANSI colour sequence */
export const ESC = "\u001b[";

export interface CliResult {
	code: number;
	stdout: string;
	stderr: string;
}

export interface CliOptions {
	env?: Record<string, string>;
	/** the command that starts the CLI; default ["node", "cli/bin.mjs"] */
	command?: string[];
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
	const [file = "node", ...prefix] = options.command ?? ["node", "cli/bin.mjs"];
	const env: Record<string, string> = {};
	for (const [name, value] of Object.entries(process.env)) {
		if (value !== undefined && !/^(NANGO|PIZZLY)_/.test(name) && name !== "NO_COLOR") env[name] = value;
	}
	return new Promise((resolve) => {
		execFile(
			file,
			[...prefix, ...args],
			{ cwd: ROOT, env: { ...env, ...options.env }, timeout: 60_000 },
			(error, stdout, stderr) => {
				const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
				resolve({ code, stdout, stderr });
			},
		);
	});
}

/** `npx nango …` (or pizzly): resolves the repository's own bin like a user's shell would. */
export function npx(bin: "nango" | "pizzly", args: string[], env: Record<string, string>) {
	return runCli(args, { command: ["npx", bin], env });
}

/** Lines of a table, split into cells on runs of two or more spaces. */
export function tableRows(stdout: string): string[][] {
	return stdout
		.trimEnd()
		.split("\n")
		.map((line) => line.trim().split(/\s{2,}/));
}

export interface CliWorker {
	url: () => string;
	/** NANGO_HOSTPORT (with a trailing slash, which must be harmless) and NANGO_SECRET_KEY */
	env: () => Record<string, string>;
	/** the CLI as a process, configured by env() plus `extraEnv` */
	cli: (args: string[], extraEnv?: Record<string, string>) => Promise<CliResult>;
	/** the worker's own JSON for a GET route, to compare with what --json prints */
	api: (path: string) => Promise<unknown>;
}

/** Starts a worker for the calling test file (beforeAll) and stops it after (afterAll). */
export function useCliWorker(): CliWorker {
	let worker: RunningWorker | undefined;
	const url = () => {
		if (!worker) throw new Error("the worker is not started yet");
		return worker.url;
	};
	const env = () => ({ NANGO_HOSTPORT: `${url()}/`, NANGO_SECRET_KEY: TEST_SECRET_KEY });
	beforeAll(async () => {
		worker = await startWorker();
	});
	afterAll(async () => {
		await worker?.stop();
	});
	return {
		url,
		env,
		cli: (args, extraEnv = {}) => runCli(args, { env: { ...env(), ...extraEnv } }),
		api: async (path) => {
			const response = await fetch(`${url()}${path}`, {
				headers: { Authorization: `Bearer ${TEST_SECRET_KEY}` },
			});
			return response.json();
		},
	};
}

export function expectNoSecrets(result: CliResult): void {
	for (const secret of [CLIENT_SECRET, ACCESS_TOKEN, REFRESH_TOKEN]) {
		expect(result.stdout).not.toContain(secret);
		expect(result.stderr).not.toContain(secret);
	}
}
