// Auth webhooks (docs/webhooks.md): a finished flow puts one event on the real queue, this
// worker's consumer delivers it signed to the receiver, and a receiver that fails gets it again.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { toHex } from "../../src/crypto/hex";
import worker from "../../src/index";
import { retryDelay } from "../../src/webhooks/delivery";
import type { WebhookMessage } from "../../src/webhooks/outbox";
import { call, SECRET, unique } from "./support/api";
import { connect, cookieJar, createCustomConfig, get, postedMessage } from "./support/oauth-flow";
import { HttpResponse, http, useProviderMocks } from "./support/provider-mocks";

const server = useProviderMocks();
const RECEIVER = "https://hooks.example.com/nango";

interface Received {
	body: string;
	headers: Headers;
}

/** A receiver at RECEIVER that answers each delivery with the next status (then 200). */
function receiver(statuses: number[] = []) {
	const received: Received[] = [];
	server.use(
		http.post(RECEIVER, async ({ request }) => {
			received.push({ body: await request.text(), headers: request.headers });
			return new HttpResponse(null, { status: statuses.shift() ?? 200 });
		}),
	);
	return received;
}

async function until(condition: () => boolean, ms = 10_000) {
	const end = Date.now() + ms;
	while (!condition()) {
		if (Date.now() > end) throw new Error("timed out waiting for the webhook");
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

async function hmacHex(key: string, body: string): Promise<string> {
	const cryptoKey = await crypto.subtle.importKey(
		"raw",
		new TextEncoder().encode(key),
		{ name: "HMAC", hash: "SHA-256" },
		false,
		["sign"],
	);
	return toHex(new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, new TextEncoder().encode(body))));
}

/** A whole flow for `connectionId`, with NANGO_WEBHOOK_URL set. */
async function authorize(key: string, connectionId: string) {
	server.use(
		http.post("https://id.example.com/token", () =>
			HttpResponse.json({ access_token: "token-SENSITIVE", expires_in: 3600 }),
		),
	);
	const overrides = { NANGO_WEBHOOK_URL: RECEIVER };
	cookieJar.clear();
	const location = await connect(`/oauth/connect/${key}?connection_id=${connectionId}`, overrides);
	const page = await get(`/oauth/callback?code=c&state=${location.searchParams.get("state")}`, overrides);
	expect(postedMessage(await page.text()).eventType).toBe("AUTHORIZATION_SUCEEDED");
}

describe("auth webhooks", () => {
	it("sends one signed creation event after a flow, and an override after the next", async () => {
		const received = receiver();
		const key = unique("custom");
		await createCustomConfig(key);
		await authorize(key, "u-1");
		await until(() => received.length === 1);
		const [creation] = received;
		const event = JSON.parse(creation?.body ?? "");
		expect(event).toEqual({
			from: "nango",
			type: "auth",
			connectionId: "u-1",
			providerConfigKey: key,
			authMode: "OAUTH2",
			provider: "custom",
			environment: "prod",
			operation: "creation",
			success: true,
		});
		// Signed as today's @nangohq/node verifies it: hex HMAC-SHA256 of the raw body.
		expect(creation?.headers.get("x-nango-hmac-sha256")).toBe(await hmacHex(SECRET, creation?.body ?? ""));
		expect(creation?.body).not.toContain("SENSITIVE");

		await authorize(key, "u-1");
		await until(() => received.length === 2);
		expect(JSON.parse(received[1]?.body ?? "").operation).toBe("override");
		// Exactly one event per authorization.
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect(received).toHaveLength(2);
	});

	it("sends a session's events to its webhook_url_override, with its end user and tags", async () => {
		const received = receiver();
		const key = unique("custom");
		await createCustomConfig(key);
		const session = await call("POST", "/connect/sessions", {
			body: {
				end_user: { id: "eu-1", email: "eu@example.com" },
				organization: { id: "org-1" },
				tags: { plan: "pro" },
				webhook_url_override: RECEIVER,
			},
		});
		expect(session.status).toBe(201);
		server.use(http.post("https://id.example.com/token", () => HttpResponse.json({ access_token: "at" })));
		cookieJar.clear();
		const location = await connect(`/oauth/connect/${key}?connect_session_token=${session.json.data.token}`);
		await get(`/oauth/callback?code=c&state=${location.searchParams.get("state")}`);
		await until(() => received.length === 1);
		const event = JSON.parse(received[0]?.body ?? "");
		expect(event.operation).toBe("creation");
		expect(event.endUser).toEqual({
			endUserId: "eu-1",
			endUserEmail: "eu@example.com",
			organizationId: "org-1",
			tags: {},
		});
		expect(event.tags).toEqual({ plan: "pro" });
		// only https (or loopback http) receivers
		const refused = await call("POST", "/connect/sessions", {
			body: { end_user: { id: "eu-2" }, webhook_url_override: "http://hooks.example.com/x" },
		});
		expect(refused.status).toBe(400);
	});

	it("retries a failing receiver with a growing delay, and acknowledges a 2xx", async () => {
		const received = receiver([500, 503]);
		const body = JSON.stringify({ from: "nango", type: "auth" });
		const message = { url: RECEIVER, body } satisfies WebhookMessage;
		for (const [attempt, expected] of [
			[1, { retry: true }],
			[2, { retry: true }],
			[3, { retry: false }],
		] as const) {
			const batch = createMessageBatch("nango-edge-webhooks", [
				{ id: `m-${attempt}`, timestamp: new Date(), attempts: attempt, body: message },
			]);
			const ctx = createExecutionContext();
			await worker.queue(batch, env, ctx);
			const result = await getQueueResult(batch, ctx);
			if (expected.retry) {
				expect(result.retryMessages).toEqual([{ msgId: `m-${attempt}` }]);
				expect(result.explicitAcks).toEqual([]);
			} else {
				expect(result.explicitAcks).toEqual([`m-${attempt}`]);
				expect(result.retryMessages).toEqual([]);
			}
		}
		expect(received.map((r) => r.body)).toEqual([body, body, body]);
		expect([retryDelay(1), retryDelay(2), retryDelay(3), retryDelay(30)]).toEqual([5, 10, 20, 900]);
	});

	it("does not follow a receiver's redirect with the signed event", async () => {
		const seen: string[] = [];
		server.use(
			http.post(
				RECEIVER,
				() => new HttpResponse(null, { status: 307, headers: { location: "https://elsewhere.example/x" } }),
			),
			http.post("https://elsewhere.example/x", () => {
				seen.push("followed");
				return new HttpResponse(null, { status: 200 });
			}),
		);
		const batch = createMessageBatch("nango-edge-webhooks", [
			{ id: "r-1", timestamp: new Date(), attempts: 1, body: { url: RECEIVER, body: "{}" } },
		]);
		const ctx = createExecutionContext();
		await worker.queue(batch, env, ctx);
		expect((await getQueueResult(batch, ctx)).retryMessages).toHaveLength(1);
		expect(seen).toEqual([]);
	});
});
