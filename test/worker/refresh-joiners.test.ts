// Callers that join a refresh in flight (docs/flows.md#refresh-failures): when it fails, each gets
// the answer its own read asked for. A read that merely needed a fresher token still gets the
// valid one it had; only a forced read, which asked for a new token, sees the failure.
import { describe, expect, it } from "vitest";
import { HttpResponse, useProviderMocks } from "./support/provider-mocks";
import { connection, countingRefresher, holdAnswers, provider, read } from "./support/refresh";

const server = useProviderMocks();

const down = () => new HttpResponse("down", { status: 500 });

describe("a failed refresh that others joined", () => {
	it("forced read fails; plain reads of a stale but valid token that joined it get that token", async () => {
		const idp = await provider(server);
		// Five minutes left: stale under the 15-minute margin, so plain reads go to the refresher.
		const connectionId = await connection(idp.key, 300_000);
		const held = holdAnswers(idp, down);
		const refresher = countingRefresher();
		const forced = read(idp.key, connectionId, "&force_refresh=true", refresher.env);
		await held.reached;
		const plain = Array.from({ length: 5 }, () => read(idp.key, connectionId, "", refresher.env));
		while (refresher.counted.stubs < 6) await new Promise((resolve) => setTimeout(resolve, 10));
		// The stub exists once its call is sent; give the calls time to reach the object (generous
		// on a loaded machine) before the provider answers.
		await new Promise((resolve) => setTimeout(resolve, 250));
		held.release();

		const failed = await forced;
		expect([failed.status, failed.json.code]).toEqual([504, "provider_unreachable"]);
		for (const answer of await Promise.all(plain)) {
			expect(answer.status).toBe(200);
			expect(answer.json.credentials.access_token).toBe("at-1");
			expect(answer.json.last_refresh_error).toMatchObject({ code: "provider_unreachable" });
		}
		expect(idp.calls).toHaveLength(1);
	});

	it("a forced read that joined a plain refresh gets the failure, not the old token as if new", async () => {
		const idp = await provider(server);
		const connectionId = await connection(idp.key, 300_000);
		const held = holdAnswers(idp, down);
		const refresher = countingRefresher();
		const plain = read(idp.key, connectionId, "", refresher.env);
		await held.reached;
		const forced = read(idp.key, connectionId, "&force_refresh=true", refresher.env);
		while (refresher.counted.stubs < 2) await new Promise((resolve) => setTimeout(resolve, 10));
		// The stub exists once its call is sent; give the calls time to reach the object (generous
		// on a loaded machine) before the provider answers.
		await new Promise((resolve) => setTimeout(resolve, 250));
		held.release();

		const served = await plain;
		expect(served.status).toBe(200);
		expect(served.json.credentials.access_token).toBe("at-1");
		const failed = await forced;
		expect([failed.status, failed.json.code]).toEqual([504, "provider_unreachable"]);
		expect(idp.calls).toHaveLength(1);
	});

	it("plain reads that joined a failed forced refresh of an expired token get the failure", async () => {
		const idp = await provider(server);
		const connectionId = await connection(idp.key, -1000);
		const held = holdAnswers(idp, down);
		const refresher = countingRefresher();
		const forced = read(idp.key, connectionId, "&force_refresh=true", refresher.env);
		await held.reached;
		const plain = read(idp.key, connectionId, "", refresher.env);
		while (refresher.counted.stubs < 2) await new Promise((resolve) => setTimeout(resolve, 10));
		// The stub exists once its call is sent; give the calls time to reach the object (generous
		// on a loaded machine) before the provider answers.
		await new Promise((resolve) => setTimeout(resolve, 250));
		held.release();
		expect((await forced).status).toBe(504);
		expect((await plain).status).toBe(504);
		expect(idp.calls).toHaveLength(1);
	});
});
