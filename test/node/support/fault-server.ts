/**
 * A loopback server that misbehaves on purpose, in front of the real worker, so the SDK's
 * timeout, retry and error paths meet real sockets instead of a mocked fetch. Each case uses
 * its own session id in the path, so its hits are counted apart:
 * - `/hang/<session>/…`  accepts the request and never answers;
 * - `/flaky/<session>/…` answers the session's first request 503 (the worker's error shape),
 *                        then forwards every request to the worker, path prefix removed;
 * - `/html/<session>/…`  answers 502 with an HTML page, as a broken proxy would;
 * - `/hits/<session>`    → `{"hits": n}`: how many requests the session received.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

export interface FaultServer {
	url: string;
	close: () => Promise<void>;
}

export async function startFaultServer(workerUrl: string): Promise<FaultServer> {
	const hits = new Map<string, number>();
	const server = createServer((request, response) => {
		const [, mode, session = "", ...rest] = (request.url ?? "/").split("/");
		if (mode === "hits") return sendJson(response, 200, { hits: hits.get(session) ?? 0 });
		const count = (hits.get(session) ?? 0) + 1;
		hits.set(session, count);
		switch (mode) {
			case "hang":
				return; // never answered: the SDK's timeout must end the wait
			case "html":
				response.writeHead(502, { "content-type": "text/html" });
				return response.end("<html><body><h1>502 Bad Gateway</h1></body></html>");
			case "flaky":
				if (count === 1) {
					return sendJson(response, 503, { error: "Temporarily unavailable.", code: "service_unavailable" });
				}
				return void forward(request, response, `${workerUrl}/${rest.join("/")}`);
			default:
				return sendJson(response, 404, { error: "No such fault.", code: "not_found" });
		}
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const address = server.address();
	if (typeof address !== "object" || !address) throw new Error("fault server has no address");
	return {
		url: `http://127.0.0.1:${address.port}`,
		close: () =>
			new Promise((resolve) => {
				// Hung requests hold their sockets open: cut them, or close() would wait forever.
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

async function forward(request: IncomingMessage, response: ServerResponse, target: string): Promise<void> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	const headers = new Headers();
	for (const name of ["authorization", "content-type", "accept"]) {
		const value = request.headers[name];
		if (typeof value === "string") headers.set(name, value);
	}
	const method = request.method ?? "GET";
	const upstream = await fetch(target, {
		method,
		headers,
		...(method === "GET" || method === "HEAD" ? {} : { body: Buffer.concat(chunks) }),
	});
	response.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "" });
	response.end(Buffer.from(await upstream.arrayBuffer()));
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
	response.writeHead(status, { "content-type": "application/json" });
	response.end(JSON.stringify(body));
}
