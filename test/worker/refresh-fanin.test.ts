// Fan-in (docs/flows.md#one-writer-per-connection): fresh tokens are served from D1 without the Durable Object; a stale token is
// refreshed exactly once however many callers want it at the same moment, and all of them get
// the one new token; a forced refresh that arrives during a refresh shares it.
import { describe, expect, it } from "vitest";
import { call } from "./support/api";
import { useProviderMocks } from "./support/provider-mocks";
import {
	connection,
	countingRefresher,
	holdAnswers,
	provider,
	read,
	stored,
	tokens,
	until,
} from "./support/refresh";

const server = useProviderMocks();

describe("refresh fan-in", () => {
	it("200 concurrent reads of an expiring connection make one provider call and all get its token", async () => {
		const idp = await provider(server);
		const connectionId = await connection(idp.key, 60_000);
		// Hold the answer while the other callers pile up behind the refresh in flight.
		const held = holdAnswers(idp);
		const refresher = countingRefresher();
		const reads = Array.from({ length: 200 }, () => read(idp.key, connectionId, "", refresher.env));
		// All 200 found the token stale in D1 and asked the object while the provider holds its answer.
		await until(() => refresher.counted.stubs === 200);
		// generous on a loaded machine: the calls must reach the object before the provider answers
		await new Promise((resolve) => setTimeout(resolve, 250));
		held.release();
		const answers = await Promise.all(reads);

		expect(idp.calls).toHaveLength(1);
		expect(idp.calls[0]?.form.get("refresh_token")).toBe("rt-1");
		expect(answers.map((answer) => answer.status)).toEqual(Array(200).fill(200));
		expect(new Set(answers.map((answer) => answer.json.credentials.access_token))).toEqual(new Set(["at-2"]));
		const row = await stored(idp.key, connectionId);
		expect(row?.credentials).toMatchObject({ access_token: "at-2", refresh_token: "rt-2" });
	});

	it("serves fresh tokens straight from D1: the Durable Object is never asked", async () => {
		const idp = await provider(server);
		idp.respond(() => tokens("at-2", "rt-2"));
		const fresh = await connection(idp.key, 3600_000);
		const refresher = countingRefresher();

		const answers = await Promise.all(
			Array.from({ length: 50 }, () => read(idp.key, fresh, "", refresher.env)),
		);
		expect(answers.every((answer) => answer.json.credentials.access_token === "at-1")).toBe(true);
		expect(refresher.counted.stubs).toBe(0);
		expect(idp.calls).toHaveLength(0);

		// The same count sees a stale read go through the object: the zero above is not blind.
		const stale = await connection(idp.key, -1000);
		const refreshed = await read(idp.key, stale, "", refresher.env);
		expect(refreshed.json.credentials.access_token).toBe("at-2");
		expect(refresher.counted.stubs).toBe(1);
		expect(idp.calls).toHaveLength(1);
	});

	it("re-checks inside the object: callers arriving after a refresh get its token without a second call", async () => {
		const idp = await provider(server);
		const connectionId = await connection(idp.key, -1000);
		idp.respond(() => tokens("at-2", "rt-2"));
		const first = await read(idp.key, connectionId);
		expect(first.json.credentials.access_token).toBe("at-2");
		const later = await Promise.all(Array.from({ length: 20 }, () => read(idp.key, connectionId)));
		expect(later.every((answer) => answer.json.credentials.access_token === "at-2")).toBe(true);
		expect(idp.calls).toHaveLength(1);
	});

	it("a force_refresh arriving while a refresh is in flight shares it", async () => {
		const idp = await provider(server);
		const connectionId = await connection(idp.key, -1000);
		const held = holdAnswers(idp, (index) => tokens(`at-${index + 2}`, `rt-${index + 2}`));
		const refresher = countingRefresher();
		const stale = read(idp.key, connectionId, "", refresher.env);
		await held.reached;
		const forced = Array.from({ length: 5 }, () =>
			read(idp.key, connectionId, "&force_refresh=true", refresher.env),
		);
		// Every forced read has asked the object before the provider answers.
		await until(() => refresher.counted.stubs === 6);
		// generous on a loaded machine: the calls must reach the object before the provider answers
		await new Promise((resolve) => setTimeout(resolve, 250));
		held.release();
		const answers = await Promise.all([stale, ...forced]);
		expect(idp.calls).toHaveLength(1);
		expect(answers.map((answer) => answer.json.credentials.access_token)).toEqual(Array(6).fill("at-2"));

		// Once nothing is in flight, force_refresh does refresh a fresh token.
		const again = await read(idp.key, connectionId, "&force_refresh=true");
		expect(again.json.credentials.access_token).toBe("at-3");
		expect(idp.calls[1]?.form.get("refresh_token")).toBe("rt-2");
	});

	it("refreshes on every read path: the Pizzly form and the modern plural route with force_refresh", async () => {
		const idp = await provider(server);
		idp.respond((_, index) => tokens(`at-${index + 2}`, `rt-${index + 2}`));
		const connectionId = await connection(idp.key, -1000);
		const pizzly = await call("GET", `/connection/${connectionId}?integration_key=${idp.key}`);
		expect(pizzly.status).toBe(200);
		expect(pizzly.json.connection.credentials.accessToken).toBe("at-2");
		const modern = await call(
			"GET",
			`/connections/${connectionId}?provider_config_key=${idp.key}&force_refresh=true&refresh_token=true`,
		);
		expect(modern.status).toBe(200);
		expect(modern.json.credentials).toMatchObject({ access_token: "at-3", refresh_token: "rt-3" });
		expect(idp.calls.map((c) => c.form.get("refresh_token"))).toEqual(["rt-1", "rt-2"]);
	});
});
