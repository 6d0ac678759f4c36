/**
 * The node project's global setup: what every test file would otherwise start for itself, made
 * once per run and handed to the files through vitest's provide/inject.
 * - `migratedD1`: a local state folder with every D1 migration applied; `startWorker` copies it
 *   for each worker instead of running `wrangler d1 migrations apply` each time;
 * - `chromiumEndpoint`: one headless Chromium that `launchBrowser` connects to; each test file
 *   still works in browser contexts of its own.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { launchBrowserServer } from "../../support/browser.js";
import { migrateD1 } from "../../support/worker.js";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	const migrated = await mkdtemp(path.join(tmpdir(), "nango-migrated-d1-"));
	const [browser, migration] = await Promise.allSettled([launchBrowserServer(), migrateD1(migrated)]);
	if (browser.status === "rejected" || migration.status === "rejected") {
		if (browser.status === "fulfilled") await browser.value.close();
		await rm(migrated, { recursive: true, force: true });
		throw browser.status === "rejected" ? browser.reason : (migration as PromiseRejectedResult).reason;
	}
	project.provide("migratedD1", migrated);
	project.provide("chromiumEndpoint", browser.value.wsEndpoint());
	return async () => {
		await browser.value.close();
		await rm(migrated, { recursive: true, force: true });
	};
}
