// The background refresh (docs/background-refresh.md): a cron run refreshes, through each
// connection's Durable Object, the connections whose refresh token sat idle too long or whose
// token expires before the next run, never more than a batch per run; failures are counted, and
// too many in a row exhaust a connection until it is forced or authorized again.
import { createExecutionContext, createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { refreshInBackground } from "../../src/background/refresh-run";
import { DEFAULT_BATCH, DEFAULT_MAX_FAILURES } from "../../src/connections/refresh-settings";
import { tokenCache } from "../../src/connections/token-cache";
import worker from "../../src/index";
import { call } from "./support/api";
import { HttpResponse, useProviderMocks } from "./support/provider-mocks";
import { connection, forgetReads, provider, read, stored, tokens } from "./support/refresh";

const server = useProviderMocks();
const HOUR = 3600_000;

/** Runs until nothing is due; each run's report. */
async function runUntilIdle(overrides: Record<string, string> = {}) {
	const reports = [];
	for (let run = 0; run < 100; run++) {
		const report = await refreshInBackground({ ...env, ...overrides });
		reports.push(report);
		if (report.picked === 0) return reports;
	}
	throw new Error("the background refresh never ran out of due connections");
}

const created: Array<[string, string]> = [];
async function tracked(key: string, expiresInMs: number, extra: Record<string, unknown> = {}) {
	const id = await connection(key, expiresInMs, extra);
	created.push([key, id]);
	return id;
}

// Every test leaves nothing due behind: a connection another test made must not be refreshed by
// this one's runs against a mock that is gone.
afterEach(async () => {
	for (const [key, id] of created.splice(0)) {
		await call("DELETE", `/connection/${encodeURIComponent(id)}?provider_config_key=${key}`);
	}
	tokenCache.clear();
});

describe("the background refresh", () => {
	it("refreshes an idle refresh token once, and leaves a fresh connection alone", async () => {
		const idp = await provider(server);
		idp.respond((_, i) => tokens(`at-${i + 2}`, `rt-${i + 2}`));
		// Imported: its refresh token was never used here, so it counts as idle.
		const idle = await tracked(idp.key, 8 * HOUR);
		const fresh = await tracked(idp.key, 8 * HOUR);
		// `fresh` was just refreshed by a read: its refresh token is in use.
		expect((await read(idp.key, fresh, "&force_refresh=true")).status).toBe(200);
		expect(idp.calls).toHaveLength(1);

		const first = await refreshInBackground(env);
		expect(first).toEqual({ picked: 1, refreshed: 1, failed: 0 });
		expect(idp.calls).toHaveLength(2);
		expect(idp.calls[1]?.form.get("refresh_token")).toBe("rt-1");
		expect((await stored(idp.key, idle))?.credentials).toMatchObject({ access_token: "at-3" });
		expect((await stored(idp.key, fresh))?.credentials).toMatchObject({ access_token: "at-2" });
		// Both fresh now: the next run finds nothing to do.
		expect(await refreshInBackground(env)).toEqual({ picked: 0, refreshed: 0, failed: 0 });
		expect(idp.calls).toHaveLength(2);
		// An older cutoff makes both idle again.
		const later = await refreshInBackground({ ...env, NANGO_REFRESH_IDLE_HOURS: "0.0000001" });
		expect(later.picked).toBe(2);
	});

	it("refreshes a token that expires before the next run, even with a refresh token in use", async () => {
		const idp = await provider(server);
		idp.respond((_, i) => tokens(`at-${i + 2}`, `rt-${i + 2}`, i === 0 ? 600 : 8 * 3600));
		const soon = await tracked(idp.key, 8 * HOUR);
		// A forced read gives it a token that lives 10 minutes: due before the run after next.
		expect((await read(idp.key, soon, "&force_refresh=true")).status).toBe(200);
		const run = await refreshInBackground(env);
		expect(run).toEqual({ picked: 1, refreshed: 1, failed: 0 });
		expect((await stored(idp.key, soon))?.credentials).toMatchObject({ access_token: "at-3" });
	});

	it("works through 1,000 idle connections across runs, never more than a batch in one", async () => {
		const idp = await provider(server);
		idp.respond((call) =>
			tokens(`new-${call.form.get("refresh_token")}`, `${call.form.get("refresh_token")}+`),
		);
		const ids: string[] = [];
		for (let i = 0; i < 1000; i++) ids.push(await tracked(idp.key, 8 * HOUR, { refresh_token: `rt-${i}` }));
		const reports = await runUntilIdle();
		for (const report of reports) {
			expect(report.picked).toBeLessThanOrEqual(DEFAULT_BATCH);
			expect(report.failed).toBe(0);
		}
		expect(reports.reduce((sum, report) => sum + report.refreshed, 0)).toBe(1000);
		expect(reports.length).toBe(Math.ceil(1000 / DEFAULT_BATCH) + 1);
		// Each connection exactly once: every refresh token the provider saw is distinct.
		expect(new Set(idp.calls.map((call) => call.form.get("refresh_token"))).size).toBe(1000);
		expect(idp.calls).toHaveLength(1000);
	}, 120_000);

	it("counts failures, exhausts a connection after too many, and lets a forced read bring it back", async () => {
		const idp = await provider(server);
		idp.respond(() => HttpResponse.json({ error: "temporarily_unavailable" }, { status: 503 }));
		const id = await tracked(idp.key, 8 * HOUR);
		// The connection's object counts against the worker's setting: its default here.
		const max = DEFAULT_MAX_FAILURES;
		for (let run = 1; run <= max; run++) {
			expect(await refreshInBackground(env)).toMatchObject({ picked: 1, failed: 1 });
			const read = await call("GET", `/connection/${id}?provider_config_key=${idp.key}`);
			if (run < max) {
				// a still-valid token is served through a provider outage, with the count
				expect(read.status).toBe(200);
				expect(read.json.refresh_failures).toBe(run);
				expect(read.json.last_refresh_error.code).toBe("provider_unreachable");
			} else {
				expect([read.status, read.json.code]).toEqual([424, "refresh_exhausted"]);
			}
			await forgetReads(idp.key, id);
		}
		// Exhausted: the cron leaves it alone, reads keep answering 424.
		expect(await refreshInBackground(env)).toEqual({ picked: 0, refreshed: 0, failed: 0 });
		expect((await read(idp.key, id)).status).toBe(424);
		// A forced read tries the provider again; success clears the count.
		idp.respond(() => tokens("at-back", "rt-back"));
		const forced = await read(idp.key, id, "&force_refresh=true");
		expect(forced.status).toBe(200);
		expect(forced.json.credentials.access_token).toBe("at-back");
		expect([forced.json.refresh_failures, forced.json.refresh_exhausted]).toEqual([0, false]);
		expect((await read(idp.key, id)).status).toBe(200);
	});

	it("runs from the worker's cron trigger", async () => {
		const idp = await provider(server);
		idp.respond(() => tokens("at-cron", "rt-cron"));
		const id = await tracked(idp.key, 8 * HOUR);
		const controller = createScheduledController({ scheduledTime: Date.now(), cron: "*/10 * * * *" });
		await worker.scheduled(controller, env, createExecutionContext());
		expect(idp.calls).toHaveLength(1);
		expect((await stored(idp.key, id))?.credentials).toMatchObject({ access_token: "at-cron" });
	});
});
