/**
 * Starts the real worker for black-box tests: `wrangler dev` (workerd) on a free loopback port,
 * with its own fresh local D1 (migrations applied first) and the vars a test asks for.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

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
	await run(WRANGLER, ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistDir]);
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
		{ cwd: ROOT, env: { ...process.env, ...QUIET }, stdio: ["ignore", "pipe", "pipe"] },
	);
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

function stopProcess(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
		child.once("exit", () => {
			clearTimeout(timer);
			resolve();
		});
		child.kill("SIGTERM");
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

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.listen(0, "127.0.0.1", () => {
			const address = server.address();
			server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()));
		});
	});
}
