/**
 * The per-client limit on the anonymous routes (docs/api.md#rate-limits), through the real
 * rate-limiting binding of wrangler.toml as miniflare runs it.
 */
import { describe, expect, it } from "vitest";
import { call } from "./support/api";

/** wrangler.toml's `[[ratelimits]]` ANONYMOUS_RATE_LIMIT: 120 requests a minute. */
const LIMIT = 120;

/** A documentation address (RFC 5737) of this run's own: counters outlive a test file. */
function testAddress(): string {
	const octet = () => Math.floor(Math.random() * 254) + 1;
	return `203.0.${octet()}.${octet()}`;
}

function fromAddress(ip: string | undefined) {
	return { anonymous: true, headers: ip === undefined ? {} : { "cf-connecting-ip": ip } };
}

/**
 * Requests from `ip` until one is refused; the index of that one, or -1. The counter's window may
 * roll over once during the loop, so 2·LIMIT + 1 requests always fill one window past the limit.
 */
async function exhaust(ip: string | undefined): Promise<number> {
	for (let index = 0; index <= 2 * LIMIT; index += 1) {
		const response = await call("GET", "/oauth/callback", fromAddress(ip));
		if (response.status === 429) return index;
	}
	return -1;
}

describe("rate limit on anonymous routes (docs/api.md#rate-limits)", () => {
	it("refuses one address past the limit with 429 rate_limited; another address is unaffected", async () => {
		const noisy = testAddress();
		const refusedAt = await exhaust(noisy);
		expect(refusedAt).toBeGreaterThanOrEqual(LIMIT);

		const refused = await call("GET", "/oauth/callback", fromAddress(noisy));
		expect(refused.status).toBe(429);
		// the popup's result page, which tells the opener
		expect(refused.headers.get("content-type")).toMatch(/^text\/html/);
		expect(refused.text).toContain('"type":"rate_limited"');
		// one counter for every anonymous route
		expect((await call("GET", "/oauth/connect/some-key?connection_id=a", fromAddress(noisy))).status).toBe(
			429,
		);
		const upgrade = { ...fromAddress(noisy), headers: { "cf-connecting-ip": noisy, upgrade: "websocket" } };
		const socket = await call("GET", "/", upgrade);
		expect(socket.status).toBe(429);
		expect(socket.json).toEqual({ error: expect.any(String), code: "rate_limited" });
		const session = await call("GET", "/connect/session", fromAddress(noisy));
		expect(session.status).toBe(429);
		expect(session.json).toEqual({ error: { code: "rate_limited", message: expect.any(String) } });

		let quiet = testAddress();
		while (quiet === noisy) quiet = testAddress();
		const page = await call("GET", "/oauth/callback", fromAddress(quiet));
		expect(page.status).toBe(400);
		expect(page.headers.get("content-type")).toMatch(/^text\/html/);
	});

	it("leaves backend and public routes alone", async () => {
		const noisy = testAddress();
		expect(await exhaust(noisy)).toBeGreaterThanOrEqual(LIMIT);
		expect((await call("GET", "/health", fromAddress(noisy))).status).toBe(200);
		expect((await call("GET", "/providers", fromAddress(noisy))).status).toBe(200);
		expect((await call("GET", "/config", { headers: { "cf-connecting-ip": noisy } })).status).toBe(200);
	});

	it("counts an IPv6 client per /64", async () => {
		const prefix = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}`;
		expect(await exhaust(`${prefix}:1::1`)).toBeGreaterThanOrEqual(LIMIT);
		expect((await call("GET", "/oauth/callback", fromAddress(`${prefix}:0001:0:0:0:ffff`))).status).toBe(429);
		expect((await call("GET", "/oauth/callback", fromAddress(`${prefix}:2::1`))).status).toBe(400);
	});

	it("lets requests through when the limiter itself fails", async () => {
		const broken = { limit: () => Promise.reject(new Error("limiter down")) };
		const response = await call("GET", "/oauth/callback", {
			...fromAddress(testAddress()),
			env: { ANONYMOUS_RATE_LIMIT: broken },
		});
		expect(response.status).toBe(400);
	});

	it("exempts local development: no CF-Connecting-IP, or a loopback one", async () => {
		for (const ip of [undefined, "127.0.0.1", "::1"]) expect(await exhaust(ip)).toBe(-1);
	});
});
