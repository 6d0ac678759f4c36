/**
 * What the CLI test files share: a real worker per file, the environment that points the CLI at
 * it, the worker's own JSON for comparisons, and secrets that must never reach the screen.
 */
import { afterAll, beforeAll, expect } from "vitest";
import { type RunningWorker, startWorker, TEST_SECRET_KEY } from "../../support/worker.js";
import { type CliResult, runCli } from "./run-cli.js";

export const CLIENT_ID = "Iv1.cli-client-id";
export const CLIENT_SECRET = "cli-client-secret-do-not-print";
export const ACCESS_TOKEN = "gho_cli_access_token_do_not_print";
export const REFRESH_TOKEN = "ghr_cli_refresh_token_do_not_print";
/** the start of an ANSI colour sequence */
export const ESC = "\u001b[";

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
