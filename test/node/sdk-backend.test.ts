/**
 * The backend SDK (sdk/backend, built to dist as published) in Node against the real worker:
 * every case of the shared suite (support/sdk-backend-cases.ts) is one test.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as sdk from "../../sdk/backend/dist/index.js";
import { closedPortUrl } from "../support/ports.js";
import { type RunningWorker, startWorker, TEST_SECRET_KEY } from "../support/worker.js";
import { type FaultServer, startFaultServer } from "./support/fault-server.js";
import { type SuiteContext, sdkCases } from "./support/sdk-backend-cases.js";

let worker: RunningWorker;
let faults: FaultServer;
let context: SuiteContext;

beforeAll(async () => {
	worker = await startWorker();
	faults = await startFaultServer(worker.url);
	context = {
		sdk,
		workerUrl: worker.url,
		secretKey: TEST_SECRET_KEY,
		faultsUrl: faults.url,
		closedUrl: await closedPortUrl(),
		prefix: `node-${crypto.randomUUID().slice(0, 8)}`,
	};
});

afterAll(async () => {
	await faults?.close();
	await worker?.stop();
});

describe("backend SDK in Node", () => {
	for (const suiteCase of sdkCases) {
		it(suiteCase.name, () => suiteCase.run(context));
	}

	it("`import Pizzly from …/pizzly` is the Pizzly document's client", async () => {
		const { default: Pizzly } = await import("../../sdk/backend/dist/pizzly.js");
		const pizzly = new Pizzly(worker.url, TEST_SECRET_KEY);
		expect(pizzly).toBeInstanceOf(sdk.Pizzly);
		expect(Array.isArray((await pizzly.listConfigs()).configs)).toBe(true);
	});
});
