/**
 * The backend SDK in Deno and in Bun: the same shared suite as sdk-backend.test.ts, run by a
 * Deno process and a Bun process (both from node_modules/.bin) against the real worker. Each
 * case's result is one test here.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedPortUrl } from "../support/ports.js";
import { type RunningWorker, startWorker, TEST_SECRET_KEY } from "../support/worker.js";
import { type FaultServer, startFaultServer } from "./support/fault-server.js";
import { sdkCases } from "./support/sdk-backend-cases.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SUITE = "test/node/support/sdk-backend-runner.ts";

const RUNTIMES = {
	deno: {
		command: path.join(ROOT, "node_modules/.bin/deno"),
		args: ["run", "--no-config", "--no-lock", "--sloppy-imports", "--allow-net=127.0.0.1", SUITE],
		version: /^2\./,
	},
	bun: { command: path.join(ROOT, "node_modules/.bin/bun"), args: [SUITE], version: /^1\./ },
} as const;

interface CaseResult {
	name: string;
	ok: boolean;
	error?: string;
}

let worker: RunningWorker;
let faults: FaultServer;

beforeAll(async () => {
	worker = await startWorker();
	faults = await startFaultServer(worker.url);
}, 120_000);

afterAll(async () => {
	await faults?.close();
	await worker?.stop();
});

for (const [name, runtime] of Object.entries(RUNTIMES)) {
	describe(`backend SDK in ${name}`, () => {
		let reported: { runtime?: string; version?: string } = {};
		const results = new Map<string, CaseResult>();

		beforeAll(async () => {
			const { stdout } = await promisify(execFile)(
				runtime.command,
				[...runtime.args, worker.url, TEST_SECRET_KEY, faults.url, await closedPortUrl()],
				{ cwd: ROOT, env: { ...process.env, NO_COLOR: "1" }, timeout: 120_000 },
			);
			const [first, ...lines] = stdout.trim().split("\n");
			reported = JSON.parse(first ?? "{}");
			for (const line of lines) {
				const result = JSON.parse(line) as CaseResult;
				results.set(result.name, result);
			}
		}, 180_000);

		it(`ran in ${name}`, () => {
			expect(reported.runtime).toBe(name);
			expect(reported.version).toMatch(runtime.version);
		});

		for (const suiteCase of sdkCases) {
			it(suiteCase.name, () => {
				const result = results.get(suiteCase.name);
				expect(result, `the ${name} run reported this case`).toBeDefined();
				expect(result?.error).toBeUndefined();
				expect(result?.ok).toBe(true);
			});
		}
	});
}
