/**
 * Refresh end to end (docs/flows.md#token-freshness): the real worker (workerd via wrangler dev, D1 and the refresher
 * Durable Object) and a real authorization server with 4-second access tokens and rotating
 * refresh tokens. After each expiry, 200 concurrent reads make exactly one refresh grant, and the
 * connection keeps working from one rotation to the next.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorizeAtIdp, IMPORT_REDIRECT_URI, importIntoWorker } from "../support/imported-connection.js";
import { type OidcServer, startOidcServer } from "../support/oidc.js";
import { type RunningWorker, startWorker, TEST_SECRET_KEY } from "../support/worker.js";

const CALLERS = 200;
const TRIALS = 10;
const TTL_SECONDS = 4;

let worker: RunningWorker;
let idp: OidcServer;

beforeAll(async () => {
	[worker, idp] = await Promise.all([
		startWorker(),
		startOidcServer({ redirectUri: IMPORT_REDIRECT_URI, accessTokenTtl: TTL_SECONDS }),
	]);
});

afterAll(async () => {
	await Promise.all([worker?.stop(), idp?.stop()]);
});

interface Read {
	status: number;
	accessToken: string | undefined;
	expiresAt: number;
}

async function read(key: string, connectionId: string): Promise<Read> {
	const response = await fetch(
		`${worker.url}/connection/${encodeURIComponent(connectionId)}?provider_config_key=${key}`,
		{ headers: { authorization: `Bearer ${TEST_SECRET_KEY}` } },
	);
	const body = (await response.json()) as { credentials?: { access_token?: string; expires_at?: string } };
	return {
		status: response.status,
		accessToken: body.credentials?.access_token,
		expiresAt: Date.parse(body.credentials?.expires_at ?? ""),
	};
}

const burst = (key: string, connectionId: string) =>
	Promise.all(Array.from({ length: CALLERS }, () => read(key, connectionId)));

async function untilPast(epochMs: number): Promise<void> {
	while (Date.now() <= epochMs)
		await new Promise((resolve) => setTimeout(resolve, epochMs + 20 - Date.now()));
}

describe("refresh through the running worker", () => {
	it(`refreshes once per expiry for ${CALLERS} concurrent readers, ${TRIALS} times over`, async () => {
		const key = "local-idp";
		const connectionId = "alice@example.test";
		const tokens = await authorizeAtIdp(idp);
		expect(tokens.expires_in).toBe(TTL_SECONDS);
		// No margin: a token is refreshed once expired, and a refreshed one serves a whole burst.
		await importIntoWorker(idp, tokens, {
			workerUrl: worker.url,
			secretKey: TEST_SECRET_KEY,
			providerConfigKey: key,
			connectionId,
			expirationBuffer: 0,
		});
		let accessToken = tokens.access_token;
		let expiresAt = Date.now() + tokens.expires_in * 1000;

		// While the imported token is fresh, a burst is served from D1 without a refresh.
		const warm = await burst(key, connectionId);
		expect(warm.every((answer) => answer.status === 200 && answer.accessToken === accessToken)).toBe(true);
		expect(idp.grants.refresh_token).toBe(0);

		const refreshesPerTrial: number[] = [];
		for (let trial = 0; trial < TRIALS; trial++) {
			await untilPast(expiresAt);
			const before = idp.grants.refresh_token;
			const reads = await burst(key, connectionId);
			refreshesPerTrial.push(idp.grants.refresh_token - before);

			expect(reads.filter((answer) => answer.status !== 200)).toEqual([]);
			const seen = new Set(reads.map((answer) => answer.accessToken));
			expect(seen.size).toBe(1);
			const [next] = seen;
			expect(next).not.toBe(accessToken);
			accessToken = next ?? "";
			expiresAt = reads[0]?.expiresAt ?? Number.NaN;
		}
		expect(refreshesPerTrial).toEqual(Array(TRIALS).fill(1));
		expect(idp.refreshErrors).toBe(0);

		// Still working after ten rotations: one more expiry, one more refresh, an active token.
		await untilPast(expiresAt);
		const last = await read(key, connectionId);
		expect(last.status).toBe(200);
		expect(await idp.isActive(last.accessToken ?? "")).toBe(true);
		expect(idp.grants.refresh_token).toBe(TRIALS + 1);
		expect(idp.refreshErrors).toBe(0);
	}, 90_000);
});
