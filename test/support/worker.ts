/**
 * Starts the real worker for black-box tests: `wrangler dev` (workerd) on a free loopback port,
 * with its own fresh local D1 and the vars a test asks for.
 *
 * A fresh D1 is a copy of the migrated one the node project's global setup made once per run
 * (`migrateD1`, provided as `migratedD1`): the same state `wrangler d1 migrations apply` would
 * leave, without a wrangler process per worker. Outside that setup, migrations are applied here.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { freePort } from "./ports.js";

declare module "vitest" {
	interface ProvidedContext {
		/** a local state folder whose D1 has every migration applied (see `migrateD1`) */
		migratedD1: string;
	}
}

export const TEST_SECRET_KEY = "node-test-secret-key";
export const TEST_ENCRYPTION_KEY = "dGVzdC1lbmNyeXB0aW9uLWtleS0zMi1ieXRlcy0hISE=";

const ROOT = path.resolve(import.meta.dirname, "../..");
const WRANGLER = path.join(ROOT, "node_modules/.bin/wrangler");
const QUIET = { CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false", CI: "true" };

export interface RunningWorker {
	/** e.g. http://127.0.0.1:41234 */
	url: string;
	/** the local state folder (D1 file) of this worker */
	persistDir: string;
	/** everything the worker printed, for assertions on logs */
	output: () => string;
	stop: () => Promise<void>;
}

export interface WorkerOptions {
	/** vars and secrets; by default a secret key and an encryption key are set */
	vars?: Record<string, string>;
	/** replace the default vars entirely instead of adding to them */
	replaceVars?: boolean;
	/** reuse a local state folder (to restart a worker over the same D1) */
	persistDir?: string;
	port?: number;
}

export async function startWorker(options: WorkerOptions = {}): Promise<RunningWorker> {
	const persistDir = options.persistDir ?? (await mkdtemp(path.join(tmpdir(), "nango-worker-")));
	const vars = options.replaceVars
		? (options.vars ?? {})
		: { NANGO_SECRET_KEY: TEST_SECRET_KEY, NANGO_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, ...options.vars };
	// An env file of our own keeps the developer's .dev.vars out of the tests.
	const envFile = path.join(persistDir, "test.env");
	await writeFile(
		envFile,
		Object.entries(vars)
			.map(([k, v]) => `${k}=${JSON.stringify(v)}`)
			.join("\n"),
	);
	const migrated = options.persistDir ? undefined : providedMigratedD1();
	if (migrated) await cp(migrated, persistDir, { recursive: true });
	else await migrateD1(persistDir);
	const port = options.port ?? (await freePort());
	let output = "";
	const child = spawn(
		WRANGLER,
		[
			"dev",
			"--port",
			String(port),
			"--ip",
			"127.0.0.1",
			"--persist-to",
			persistDir,
			"--env-file",
			envFile,
			"--inspector-port",
			String(await freePort()),
			"--show-interactive-dev-session=false",
			"--log-level",
			"warn",
		],
		// Its own process group: stopping it stops wrangler's own child processes (workerd, esbuild).
		{ cwd: ROOT, env: { ...process.env, ...QUIET }, stdio: ["ignore", "pipe", "pipe"], detached: true },
	);
	running.add(child);
	child.stdout?.on("data", (chunk) => {
		output += chunk;
	});
	child.stderr?.on("data", (chunk) => {
		output += chunk;
	});
	const url = `http://127.0.0.1:${port}`;
	await waitForHealth(url, child, () => output);
	return {
		url,
		persistDir,
		output: () => output,
		stop: async () => {
			await stopProcess(child);
			if (!options.persistDir) await rm(persistDir, { recursive: true, force: true });
		},
	};
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<void> {
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`wrangler dev exited:\n${output()}`);
		try {
			const response = await fetch(`${url}/health`);
			if (response.ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	await stopProcess(child);
	throw new Error(`wrangler dev did not answer /health within 60 s:\n${output()}`);
}

/** Applies the D1 migrations to the local state folder `persistDir`. */
export function migrateD1(persistDir: string): Promise<void> {
	return run(WRANGLER, ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistDir]);
}

function providedMigratedD1(): string | undefined {
	try {
		return inject("migratedD1");
	} catch {
		return undefined; // not inside a vitest run
	}
}

/** Workers not stopped yet: killed when the test process exits, whatever the reason. */
const running = new Set<ChildProcess>();
process.once("exit", () => {
	for (const child of running) killGroup(child, "SIGKILL");
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	try {
		if (child.pid !== undefined) process.kill(-child.pid, signal);
	} catch {
		// already gone
	}
}

function stopProcess(child: ChildProcess): Promise<void> {
	running.delete(child);
	if (child.exitCode !== null || child.signalCode !== null) {
		killGroup(child, "SIGKILL"); // whatever it left behind
		return Promise.resolve();
	}
	return new Promise((resolve) => {
		const timer = setTimeout(() => killGroup(child, "SIGKILL"), 5000);
		child.once("exit", () => {
			clearTimeout(timer);
			resolve();
		});
		killGroup(child, "SIGTERM");
	});
}

function run(command: string, args: string[]): Promise<void> {
	return new Promise((resolve, reject) => {
		let output = "";
		const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...QUIET } });
		child.stdout.on("data", (chunk) => {
			output += chunk;
		});
		child.stderr.on("data", (chunk) => {
			output += chunk;
		});
		child.on("exit", (code) =>
			code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} failed:\n${output}`)),
		);
	});
}
