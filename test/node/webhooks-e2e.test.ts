/**
 * Auth webhooks end to end (docs/webhooks.md): the real worker (wrangler dev: its queue and
 * consumer run locally), a real authorization server (oidc-provider) and a webhook receiver on
 * loopback. A flow gives exactly one `creation` event that today's published @nangohq/node 0.71
 * verifies; a second flow gives `override`; a refresh token revoked at the IdP gives `refresh`
 * with `success: false`, and the read that found out answers while the receiver still sleeps; a
 * receiver that fails twice still gets its event.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Nango } from "@nangohq/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorizeHeadless, type OidcServer, registerIdp, startOidcServer } from "../support/oidc.js";
import { type RunningWorker, startWorker, TEST_SECRET_KEY } from "../support/worker.js";

interface Delivery {
	body: string;
	headers: IncomingHttpHeaders;
	event: { operation: string; success: boolean; connectionId: string; error?: { type: string } };
	/** when the receiver answered (after any sleep) */
	answeredAt: number;
	status: number;
}

/** What the receiver does with the next deliveries: a status to answer, after an optional sleep. */
const plan: Array<{ status: number; sleepMs?: number }> = [];
const deliveries: Delivery[] = [];
let receiver: Server;
let worker: RunningWorker;
let idp: OidcServer;
const AUTH = { authorization: `Bearer ${TEST_SECRET_KEY}` };

beforeAll(async () => {
	receiver = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on("data", (chunk: Buffer) => chunks.push(chunk));
		request.on("end", async () => {
			const step = plan.shift() ?? { status: 200 };
			if (step.sleepMs) await new Promise((resolve) => setTimeout(resolve, step.sleepMs));
			const body = Buffer.concat(chunks).toString("utf8");
			deliveries.push({
				body,
				headers: request.headers,
				event: JSON.parse(body),
				answeredAt: Date.now(),
				status: step.status,
			});
			response.writeHead(step.status).end();
		});
	});
	await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
	const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
	worker = await startWorker({ vars: { NANGO_WEBHOOK_URL: hookUrl } });
	idp = await startOidcServer({ redirectUri: `${worker.url}/oauth/callback` });
	// oidc-provider issues offline_access only with an explicit consent prompt.
	await registerIdp(idp, { url: worker.url, secretKey: TEST_SECRET_KEY }, "idp", {
		authorization_params: { prompt: "consent" },
	});
});

afterAll(async () => {
	await Promise.all([worker?.stop(), idp?.stop()]);
	await new Promise((resolve) => receiver?.close(resolve));
});

/** A whole flow over HTTP: the worker's redirect, the IdP's pages, the callback with the flow cookie. */
async function authorize(connectionId: string): Promise<void> {
	const start = await fetch(`${worker.url}/oauth/connect/idp?connection_id=${connectionId}`, {
		redirect: "manual",
	});
	const cookie = (start.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
	const atCallback = await authorizeHeadless(start.headers.get("location") ?? "");
	const callback = await fetch(atCallback.headers.get("location") ?? "", {
		headers: { cookie },
		redirect: "manual",
	});
	expect(await callback.text()).toContain("AUTHORIZATION_SUCEEDED");
}

async function until(condition: () => boolean, ms = 45_000): Promise<void> {
	const end = Date.now() + ms;
	while (!condition()) {
		if (Date.now() > end) throw new Error("timed out waiting for a webhook");
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

const delivered = (operation: string, status = 200) =>
	deliveries.filter((d) => d.event.operation === operation && d.status === status);

describe("auth webhooks through the worker's queue", () => {
	const nango = () => new Nango({ host: worker.url, secretKey: TEST_SECRET_KEY });

	it("sends exactly one creation event per new connection, verified by today's @nangohq/node", async () => {
		await authorize("alice");
		await until(() => delivered("creation").length === 1);
		const [creation] = delivered("creation");
		expect(creation?.event).toMatchObject({
			from: "nango",
			type: "auth",
			connectionId: "alice",
			providerConfigKey: "idp",
			authMode: "OAUTH2",
			provider: "oidc-test",
			operation: "creation",
			success: true,
		});
		expect(nango().verifyIncomingWebhookRequest(creation?.body ?? "", creation?.headers ?? {})).toBe(true);
		// A tampered body fails the same check.
		expect(nango().verifyIncomingWebhookRequest(`${creation?.body} `, creation?.headers ?? {})).toBe(false);
	});

	it("sends override on a re-authorization, to a receiver that fails twice first", async () => {
		plan.push({ status: 500 }, { status: 503 });
		await authorize("alice");
		await until(() => delivered("override").length === 1);
		// the two refusals, then the delivery: the same event each time
		const attempts = deliveries.filter((d) => d.event.operation === "override");
		expect(attempts.map((d) => d.status)).toEqual([500, 503, 200]);
		expect(new Set(attempts.map((d) => d.body)).size).toBe(1);
		expect(delivered("creation")).toHaveLength(1);
	}, 60_000);

	it("sends refresh/success:false when the IdP rejects the refresh token; the read does not wait for the receiver", async () => {
		const read = await fetch(`${worker.url}/connection/alice?provider_config_key=idp`, { headers: AUTH });
		const refreshToken = ((await read.json()) as { credentials: { refresh_token: string } }).credentials
			.refresh_token;
		const revoked = await fetch(`${idp.issuer}/token/revocation`, {
			method: "POST",
			headers: { "content-type": "application/x-www-form-urlencoded" },
			body: new URLSearchParams({
				token: refreshToken,
				client_id: idp.clientId,
				client_secret: idp.clientSecret,
			}),
		});
		expect(revoked.ok).toBe(true);
		plan.push({ status: 200, sleepMs: 3000 });
		const forced = await fetch(`${worker.url}/connection/alice?provider_config_key=idp&force_refresh=true`, {
			headers: AUTH,
		});
		const answeredAt = Date.now();
		expect(forced.status).toBe(424);
		expect(((await forced.json()) as { code: string }).code).toBe("refresh_token_rejected");
		await until(() => delivered("refresh").length === 1);
		const [failure] = delivered("refresh");
		expect(failure?.event).toMatchObject({ operation: "refresh", success: false, connectionId: "alice" });
		expect(failure?.event.error?.type).toBe("refresh_token_rejected");
		expect(nango().verifyIncomingWebhookRequest(failure?.body ?? "", failure?.headers ?? {})).toBe(true);
		// The read had its answer before the sleeping receiver answered its delivery.
		expect(answeredAt).toBeLessThan(failure?.answeredAt ?? 0);
	}, 60_000);
});
