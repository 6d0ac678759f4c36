/**
 * The backend SDK in Deno: the same shared suite as sdk-backend.test.ts, run by a Deno process
 * (node_modules/.bin/deno) against the real worker. Each case's result is one test here.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningWorker, startWorker, TEST_SECRET_KEY } from "../support/worker.js";
import { sdkCases } from "./sdk-backend/cases.js";
import { closedPortUrl, type FaultServer, startFaultServer } from "./sdk-backend/faults.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const DENO = path.join(ROOT, "node_modules/.bin/deno");

interface CaseResult {
	name: string;
	ok: boolean;
	error?: string;
}

let worker: RunningWorker;
let faults: FaultServer;
let runtime: { runtime?: string; version?: string } = {};
const results = new Map<string, CaseResult>();

beforeAll(async () => {
	worker = await startWorker();
	faults = await startFaultServer(worker.url);
	const { stdout } = await promisify(execFile)(
		DENO,
		[
			"run",
			"--no-config",
			"--no-lock",
			"--sloppy-imports",
			"--allow-net=127.0.0.1",
			"test/node/deno/sdk-suite.ts",
			worker.url,
			TEST_SECRET_KEY,
			faults.url,
			await closedPortUrl(),
		],
		{ cwd: ROOT, env: { ...process.env, NO_COLOR: "1" }, timeout: 120_000 },
	);
	const [first, ...lines] = stdout.trim().split("\n");
	runtime = JSON.parse(first ?? "{}");
	for (const line of lines) {
		const result = JSON.parse(line) as CaseResult;
		results.set(result.name, result);
	}
}, 180_000);

afterAll(async () => {
	await faults?.close();
	await worker?.stop();
});

describe("backend SDK in Deno", () => {
	it("ran in Deno", () => {
		expect(runtime.runtime).toBe("deno");
		expect(runtime.version).toMatch(/^2\./);
	});

	for (const suiteCase of sdkCases) {
		it(suiteCase.name, () => {
			const result = results.get(suiteCase.name);
			expect(result, "the Deno run reported this case").toBeDefined();
			expect(result?.error).toBeUndefined();
			expect(result?.ok).toBe(true);
		});
	}
});
