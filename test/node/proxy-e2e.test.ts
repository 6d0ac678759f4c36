/**
 * The proxy end to end (docs/proxy.md): the real worker (workerd via wrangler dev) in front of a
 * loopback API (a small Node server in this file) and of a real IdP (`oidc-provider`, whose
 * userinfo endpoint stands for the provider's API). Today's published `@nangohq/node` calls it
 * unchanged; 64 MB bodies stream through both ways intact; an access token the IdP dropped early is refreshed
 * once and the call answered.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { Nango } from "@nangohq/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorizeAtIdp, IMPORT_REDIRECT_URI, importIntoWorker } from "../support/imported-connection.js";
import { type OidcServer, registerIdp, startOidcServer } from "../support/oidc.js";
import { freePort } from "../support/ports.js";
import { type RunningWorker, startWorker, TEST_SECRET_KEY } from "../support/worker.js";

const LARGE_BYTES = 64 * 1024 * 1024;
const CHUNK = 64 * 1024;

let worker: RunningWorker;
let idp: OidcServer;
let upstream: Server;
let upstreamUrl: string;
/** what the loopback API saw last: method, URL, headers and the SHA-256 of the body it received */
let lastSeen: {
	method: string;
	url: string;
	headers: IncomingMessage["headers"];
	sha256: string;
	bytes: number;
};
let downloadSha256 = "";

/** Deterministic bytes, generated chunk by chunk: nothing holds the whole body. */
function* chunks(total: number): Generator<Uint8Array> {
	const seed = createHash("sha256").update("proxy-e2e").digest();
	for (let sent = 0, index = 0; sent < total; index++) {
		const chunk = Buffer.alloc(Math.min(CHUNK, total - sent));
		const block = createHash("sha256").update(seed).update(String(index)).digest();
		for (let offset = 0; offset < chunk.length; offset += block.length) block.copy(chunk, offset);
		sent += chunk.length;
		yield chunk;
	}
}

async function startUpstream(): Promise<void> {
	const port = await freePort();
	upstreamUrl = `http://127.0.0.1:${port}`;
	upstream = createServer((req, res) => {
		const hash = createHash("sha256");
		let bytes = 0;
		req.on("data", (chunk: Buffer) => {
			hash.update(chunk);
			bytes += chunk.length;
		});
		req.on("end", () => {
			lastSeen = {
				method: req.method ?? "",
				url: req.url ?? "",
				headers: req.headers,
				sha256: hash.digest("hex"),
				bytes,
			};
			if (req.url?.startsWith("/api/large")) {
				const download = createHash("sha256");
				res.writeHead(200, { "content-type": "application/octet-stream", "set-cookie": "s=1" });
				const pump = chunks(LARGE_BYTES);
				const write = () => {
					for (let next = pump.next(); !next.done; next = pump.next()) {
						download.update(next.value);
						if (!res.write(next.value)) return void res.once("drain", write);
					}
					downloadSha256 = download.digest("hex");
					res.end();
				};
				write();
				return;
			}
			res.writeHead(200, {
				"content-type": "application/json",
				"set-cookie": "upstream=1",
				"x-upstream": "yes",
			});
			res.end(JSON.stringify({ method: req.method, url: req.url, sha256: lastSeen.sha256, bytes }));
		});
	});
	await new Promise<void>((resolve) => upstream.listen(port, "127.0.0.1", resolve));
}

const key = "loopback-api";
const connectionId = "alice@example.test";

beforeAll(async () => {
	[worker, idp] = await Promise.all([
		startWorker(),
		startOidcServer({ redirectUri: IMPORT_REDIRECT_URI }),
		startUpstream(),
	]);
	const target = { url: worker.url, secretKey: TEST_SECRET_KEY };
	await registerIdp(idp, target, key, { proxy: { base_url: `${upstreamUrl}/api` } });
	await importIntoWorker(idp, await authorizeAtIdp(idp), {
		workerUrl: worker.url,
		secretKey: TEST_SECRET_KEY,
		providerConfigKey: key,
		connectionId,
	});
});

afterAll(async () => {
	await Promise.all([worker?.stop(), idp?.stop(), new Promise((resolve) => upstream?.close(resolve))]);
});

describe("today's @nangohq/node through the proxy", () => {
	it("proxy, get, post, put, patch and delete reach the API with the connection's token, not the secret key", async () => {
		const nango = new Nango({ host: worker.url, secretKey: TEST_SECRET_KEY });
		const config = { providerConfigKey: key, connectionId };
		const token = (await nango.getToken(key, connectionId)) as string;

		const got = await nango.get({
			...config,
			endpoint: "/user",
			params: { page: "2" },
			headers: { "X-Trace": "t-1" },
		});
		expect(got.status).toBe(200);
		expect(got.data).toMatchObject({ method: "GET", url: "/api/user?page=2" });
		expect(got.headers["x-upstream"]).toBe("yes");
		expect(got.headers["set-cookie"]).toBeUndefined();
		expect(lastSeen.headers.authorization).toBe(`Bearer ${token}`);
		expect(lastSeen.headers["x-trace"]).toBe("t-1");
		expect(JSON.stringify(lastSeen.headers)).not.toContain(TEST_SECRET_KEY);
		expect(lastSeen.headers["connection-id"]).toBeUndefined();

		const body = { title: "hello", n: 1 };
		const expected = createHash("sha256").update(JSON.stringify(body)).digest("hex");
		for (const method of ["post", "put", "patch"] as const) {
			const answer = await nango[method]({ ...config, endpoint: `/items/${method}`, data: body });
			expect(answer.data, method).toMatchObject({
				method: method.toUpperCase(),
				url: `/api/items/${method}`,
			});
			expect(lastSeen.sha256, method).toBe(expected);
			expect(lastSeen.headers["content-type"], method).toMatch(/^application\/json/);
		}
		const deleted = await nango.delete({ ...config, endpoint: "/items/1" });
		expect(deleted.data).toMatchObject({ method: "DELETE", url: "/api/items/1" });
		const proxied = await nango.proxy({
			...config,
			method: "GET",
			endpoint: "/user",
			retries: 2,
			retryOn: [409],
		});
		expect(proxied.status).toBe(200);
		expect(lastSeen.headers.retries).toBeUndefined();
	});

	it("answers the worker's own refusals in today's error shape", async () => {
		const nango = new Nango({ host: worker.url, secretKey: TEST_SECRET_KEY });
		const refused = await nango
			.get({ providerConfigKey: key, connectionId: "nobody", endpoint: "/user" })
			.catch((error: { response?: { status: number; data: unknown } }) => error.response);
		expect(refused?.status).toBe(404);
		expect(refused?.data).toEqual({ error: { code: "unknown_connection", message: expect.any(String) } });
	});
});

describe("streaming", () => {
	const headers = {
		authorization: `Bearer ${TEST_SECRET_KEY}`,
		"Provider-Config-Key": key,
		"Connection-Id": connectionId,
	};

	it(`downloads ${LARGE_BYTES / 1024 / 1024} MB through the proxy intact`, async () => {
		const response = await fetch(`${worker.url}/proxy/large`, { headers });
		expect(response.status).toBe(200);
		expect(response.headers.get("set-cookie")).toBeNull();
		const hash = createHash("sha256");
		let bytes = 0;
		for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
			hash.update(chunk);
			bytes += chunk.length;
		}
		expect(bytes).toBe(LARGE_BYTES);
		expect(hash.digest("hex")).toBe(downloadSha256);
	}, 120_000);

	it(`uploads ${LARGE_BYTES / 1024 / 1024} MB through the proxy intact`, async () => {
		const sent = createHash("sha256");
		const pump = chunks(LARGE_BYTES);
		const body = new ReadableStream<Uint8Array>({
			pull(controller) {
				const next = pump.next();
				if (next.done) return controller.close();
				sent.update(next.value);
				controller.enqueue(next.value);
			},
		});
		const response = await fetch(`${worker.url}/proxy/upload`, {
			method: "POST",
			headers: { ...headers, "content-type": "application/octet-stream" },
			body,
			duplex: "half",
		} as RequestInit);
		expect(response.status).toBe(200);
		const answer = (await response.json()) as { bytes: number; sha256: string };
		expect(answer.bytes).toBe(LARGE_BYTES);
		expect(answer.sha256).toBe(sent.digest("hex"));
		expect(lastSeen.headers["content-type"]).toBe("application/octet-stream");
	}, 120_000);
});

describe("an access token the IdP dropped", () => {
	it("is refreshed once after the API's 401, and the call answered", async () => {
		const idpKey = "idp-as-api";
		const user = "bob@example.test";
		// The IdP is also the API: its userinfo endpoint `/me` under the config's proxy.base_url.
		await registerIdp(idp, { url: worker.url, secretKey: TEST_SECRET_KEY }, idpKey, {
			proxy: { base_url: idp.issuer },
		});
		const tokens = await authorizeAtIdp(idp, "bob");
		await importIntoWorker(idp, tokens, {
			workerUrl: worker.url,
			secretKey: TEST_SECRET_KEY,
			providerConfigKey: idpKey,
			connectionId: user,
		});
		const nango = new Nango({ host: worker.url, secretKey: TEST_SECRET_KEY });
		const config = { providerConfigKey: idpKey, connectionId: user, endpoint: "/me" };
		const before = await nango.get(config);
		expect(before.data).toMatchObject({ sub: "bob" });
		expect(idp.grants.refresh_token).toBe(0);

		// Gone at the IdP while the worker still thinks it good for an hour; the refresh token stays.
		await idp.dropAccessToken(tokens.access_token);
		expect(await idp.isActive(tokens.access_token)).toBe(false);

		const after = await nango.get(config);
		expect(after.status).toBe(200);
		expect(after.data).toMatchObject({ sub: "bob" });
		expect(idp.grants.refresh_token).toBe(1);
		const current = (await nango.getToken(idpKey, user)) as string;
		expect(current).not.toBe(tokens.access_token);
		expect(await idp.isActive(current)).toBe(true);
	});
});
