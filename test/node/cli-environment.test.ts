/**
 * How the CLI finds and authenticates to the worker, and how it fails: secrets from flags and
 * NANGO_* / PIZZLY_* variables, a stopped worker, colours only on a terminal, Node 20, and the
 * in-process core `run(argv, io)` with injected streams and fetch.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { run } from "../../cli/main.mjs";
import { closedPortUrl } from "../support/ports.js";
import { TEST_SECRET_KEY } from "../support/worker.js";
import { ESC, runCli, useCliWorker } from "./support/cli.js";

const { api, cli, env, url } = useCliWorker();

describe("where the worker is and who may call it", () => {
	it("a wrong secret fails with invalid_secret_key and a hint, exit 1", async () => {
		const result = await cli(["config:list", "--secret-key", "wrong-secret"]);
		expect(result.code).toBe(1);
		expect(result.stdout).toBe("");
		expect(result.stderr).toContain("The secret key is invalid.");
		expect(result.stderr).toContain("invalid_secret_key");
		expect(result.stderr).toContain("NANGO_SECRET_KEY");
	});

	it("no secret at all fails with missing_auth_header", async () => {
		const result = await runCli(["config:list"], { env: { NANGO_HOSTPORT: url() } });
		expect(result.code).toBe(1);
		expect(result.stderr).toContain("missing_auth_header");
	});

	it("PIZZLY_HOSTPORT and PIZZLY_SECRET_KEY are fallbacks; --host and --secret-key win over env", async () => {
		const pizzly = await runCli(["config:list", "--json"], {
			env: { PIZZLY_HOSTPORT: url(), PIZZLY_SECRET_KEY: TEST_SECRET_KEY },
		});
		expect(pizzly.code).toBe(0);
		expect(JSON.parse(pizzly.stdout)).toEqual(await api("/config"));
		const flags = await runCli(
			["config:list", "--json", "--host", `${url()}/`, "--secret-key", TEST_SECRET_KEY],
			{
				env: { NANGO_HOSTPORT: await closedPortUrl(), NANGO_SECRET_KEY: "wrong" },
			},
		);
		expect(flags.code).toBe(0);
		expect(JSON.parse(flags.stdout)).toEqual(await api("/config"));
	});

	it("a worker that is not running gets a hint to start it, not a stack trace", async () => {
		const down = await closedPortUrl();
		const result = await runCli(["connection:list"], { env: { NANGO_HOSTPORT: down } });
		expect(result.code).toBe(1);
		expect(result.stdout).toBe("");
		expect(result.stderr).toContain(`Could not reach the worker at ${down}`);
		expect(result.stderr).toContain("network_error");
		expect(result.stderr).toContain("npm run dev");
		expect(result.stderr).not.toMatch(/\n\s+at /);
		const json = await runCli(["connection:list", "--json"], { env: { NANGO_HOSTPORT: down } });
		expect(json.code).toBe(1);
		expect(JSON.parse(json.stderr)).toMatchObject({ code: "network_error" });
	});

	it("output to a pipe has no colour codes", async () => {
		const results = await Promise.all([cli(["config:list"]), cli(["config:get", "nope"])]);
		for (const result of results) expect(`${result.stdout}${result.stderr}`).not.toContain(ESC);
	});
});

/** The machine's own Node (20 here), not the Node 22 that npm puts first on PATH. */
const SYSTEM_NODE = ["/usr/bin/node", "/usr/local/bin/node"].find((file) => existsSync(file));
const systemNodeMajor = SYSTEM_NODE
	? Number(execFileSync(SYSTEM_NODE, ["-p", "process.versions.node.split('.')[0]"], { encoding: "utf8" }))
	: 0;

describe("runtimes and the in-process core", () => {
	it.skipIf(systemNodeMajor !== 20)("runs without a build step on Node 20", async () => {
		const result = await runCli(["config:list", "--json"], {
			command: [SYSTEM_NODE ?? "", "cli/bin.mjs"],
			env: env(),
		});
		expect(result.code).toBe(0);
		expect(JSON.parse(result.stdout)).toEqual(await api("/config"));
	});

	/** A stream that says it is a terminal, collecting what is written. */
	function terminal() {
		const chunks: string[] = [];
		return { isTTY: true, write: (chunk: string) => chunks.push(chunk), text: () => chunks.join("") };
	}

	it("run() uses the injected fetch and streams, and colours a terminal", async () => {
		const stdout = terminal();
		const stderr = terminal();
		const seen: string[] = [];
		const code = await run(["config:create", "coloured", "github", "id", "secret", "repo"], {
			stdout,
			stderr,
			env: env(),
			fetch: (request) => {
				seen.push(`${request.method} ${new URL(request.url).pathname}`);
				return fetch(request);
			},
		});
		expect(code).toBe(0);
		expect(seen).toEqual(["POST /config"]);
		expect(stdout.text()).toBe(`${ESC}32m✓${ESC}0m Created provider config 'coloured' (provider github).\n`);
		const failed = terminal();
		expect(await run(["config:get", "nope"], { stdout: terminal(), stderr: failed, env: env() })).toBe(1);
		expect(failed.text()).toContain(`${ESC}31m✗${ESC}0m`);
	});

	it("NO_COLOR turns colours off even on a terminal", async () => {
		const stdout = terminal();
		const stderr = terminal();
		expect(await run(["config:list"], { stdout, stderr, env: { ...env(), NO_COLOR: "1" } })).toBe(0);
		expect(stdout.text()).toContain("coloured");
		expect(stdout.text()).not.toContain(ESC);
		const failed = terminal();
		expect(
			await run(["config:get", "nope"], {
				stdout: terminal(),
				stderr: failed,
				env: { ...env(), NO_COLOR: "1" },
			}),
		).toBe(1);
		expect(failed.text()).toContain("✗ ");
		expect(failed.text()).not.toContain(ESC);
	});
});
