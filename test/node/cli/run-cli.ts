/**
 * Runs the real CLI as a process, as a user would: `node cli/bin.mjs …` with the Node on PATH,
 * or `npx nango …` / `npx pizzly …` from the repository. Inherited NANGO_* and PIZZLY_*
 * variables are dropped so each test says exactly what it configures.
 */
import { execFile } from "node:child_process";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../../..");

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
