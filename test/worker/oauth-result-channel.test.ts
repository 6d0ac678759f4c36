// The result WebSocket (docs/flows.md#websocket, @nangohq/frontend 0.9.0's protocol) through the real
// `ResultChannel` Durable Object: the ack, the result delivered by a callback served elsewhere,
// a result kept for a late socket, and ids no page opened.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { unique } from "./support/api";
import { connect, createConfig, get } from "./support/oauth-flow";
import { HttpResponse, http, useProviderMocks } from "./support/provider-mocks";

const server = useProviderMocks();

interface Socket {
	messages: Array<Record<string, unknown>>;
	closed: Promise<number>;
	next(): Promise<Record<string, unknown>>;
	ws: WebSocket;
}

/** Opens the result socket on `/` as the 0.9.0 client does (`new WebSocket(host)`). */
async function openSocket(query = ""): Promise<Socket> {
	const response = await get(`/${query}`, {}, { Upgrade: "websocket" });
	expect(response.status).toBe(101);
	const ws = response.webSocket;
	if (!ws) throw new Error("no webSocket on the 101 response");
	const messages: Array<Record<string, unknown>> = [];
	const waiters: Array<() => void> = [];
	ws.addEventListener("message", (event) => {
		messages.push(JSON.parse(String(event.data)));
		waiters.shift()?.();
	});
	const closed = new Promise<number>((resolve) =>
		ws.addEventListener("close", (event) => resolve(event.code)),
	);
	ws.accept();
	let read = 0;
	const next = async () => {
		if (messages.length <= read) await new Promise<void>((resolve) => waiters.push(resolve));
		const message = messages[read++];
		if (!message) throw new Error("no message");
		return message;
	};
	return { messages, closed, next, ws };
}

async function customConfig(key: string) {
	await createConfig(key, {
		provider: "custom",
		authorization_url: "https://id.example.com/authorize",
		token_url: "https://id.example.com/token",
	});
	server.use(http.post("https://id.example.com/token", () => HttpResponse.json({ access_token: "at" })));
}

const channel = (wsClientId: string) => env.RESULT_CHANNEL.get(env.RESULT_CHANNEL.idFromName(wsClientId));

describe("result WebSocket", () => {
	it("leaves `/` without an upgrade to the health route", async () => {
		const response = await get("/");
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({ result: "ok" });
	});

	it("acks with a fresh ws_client_id, then delivers the callback's success and closes", async () => {
		const key = unique("custom");
		await customConfig(key);
		const socket = await openSocket();
		const ack = await socket.next();
		expect(ack).toEqual({
			message_type: "connection_ack",
			ws_client_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
		});
		const wsClientId = String(ack.ws_client_id);

		const location = await connect(`/oauth/connect/${key}?connection_id=user-ws&ws_client_id=${wsClientId}`);
		const page = await get(`/oauth/callback?code=c&state=${location.searchParams.get("state")}`);
		expect(page.status).toBe(200);
		expect(await socket.next()).toEqual({
			message_type: "success",
			provider_config_key: key,
			connection_id: "user-ws",
		});
		expect(await socket.closed).toBe(1000);
	});

	it("gives every socket its own id", async () => {
		const [a, b] = await Promise.all([openSocket(), openSocket()]);
		const [ackA, ackB] = await Promise.all([a.next(), b.next()]);
		expect(ackA.ws_client_id).not.toBe(ackB.ws_client_id);
		a.ws.close();
		b.ws.close();
	});

	it("delivers errors, including those raised before the provider, in the 0.9.0 shape", async () => {
		const socket = await openSocket();
		const { ws_client_id } = await socket.next();
		const page = await get(`/oauth/connect/missing-config?connection_id=u1&ws_client_id=${ws_client_id}`);
		expect(page.status).toBe(404);
		expect(await socket.next()).toEqual({
			message_type: "error",
			provider_config_key: "missing-config",
			connection_id: "u1",
			error_type: "unknown_config_key",
			error_desc: expect.stringContaining("missing-config"),
		});
		expect(await socket.closed).toBe(1000);
	});

	it("keeps the result for a socket that dropped and reconnects with its id", async () => {
		const key = unique("custom");
		await customConfig(key);
		const first = await openSocket();
		const wsClientId = String((await first.next()).ws_client_id);
		first.ws.close(1001, "page hidden");
		await first.closed;

		const location = await connect(`/oauth/connect/${key}?connection_id=late&ws_client_id=${wsClientId}`);
		await get(`/oauth/callback?code=c&state=${location.searchParams.get("state")}`);

		const again = await openSocket(`?ws_client_id=${wsClientId}`);
		expect(await again.next()).toEqual({ message_type: "connection_ack", ws_client_id: wsClientId });
		expect(await again.next()).toEqual({
			message_type: "success",
			provider_config_key: key,
			connection_id: "late",
		});
		expect(await again.closed).toBe(1000);

		// The alarm forgets it.
		expect(await runDurableObjectAlarm(channel(wsClientId))).toBe(true);
		expect(await runInDurableObject(channel(wsClientId), (_, state) => state.storage.list())).toEqual(
			new Map(),
		);
	});

	it("refuses a ws_client_id the worker never issued, on /oauth/connect and on reconnecting", async () => {
		const key = unique("custom");
		await customConfig(key);
		const madeUp = crypto.randomUUID();
		const page = await get(`/oauth/connect/${key}?connection_id=u&ws_client_id=${madeUp}`);
		expect(page.status).toBe(400);
		expect(await page.text()).toContain("invalid_ws_client_id");
		const reconnect = await get(`/?ws_client_id=${madeUp}`, {}, { Upgrade: "websocket" });
		expect(reconnect.status).toBe(400);
		expect(await reconnect.json()).toMatchObject({ code: "invalid_ws_client_id" });
		expect(await runInDurableObject(channel(madeUp), (_, state) => state.storage.list())).toEqual(new Map());
		// and a result for such an id is dropped, so naming ids cannot fill storage
		expect(
			await channel(madeUp).deliver({
				message_type: "success",
				provider_config_key: "k",
				connection_id: "c",
			}),
		).toBe(false);
	});

	it("lets a page reconnect to the id it was issued", async () => {
		const first = await openSocket();
		const ack = await first.next();
		first.ws.close();
		await first.closed;
		const again = await openSocket(`?ws_client_id=${String(ack.ws_client_id)}`);
		expect(await again.next()).toEqual(ack);
		again.ws.close();
	});

	it("refuses a malformed ws_client_id instead of naming a channel with it", async () => {
		const key = unique("custom");
		await customConfig(key);
		const page = await get(`/oauth/connect/${key}?connection_id=u&ws_client_id=not-a-uuid`);
		expect(page.status).toBe(400);
		const socket = await get("/?ws_client_id=not-a-uuid", {}, { Upgrade: "websocket" });
		expect(socket.status).toBe(400);
	});
});
