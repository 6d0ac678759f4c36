/**
 * Loopback ports for servers started by tests: a free one to listen on, and one nothing
 * listens on (connections to it are refused at once).
 */
import { createServer } from "node:net";

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.listen(0, "127.0.0.1", () => {
			const address = server.address();
			server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()));
		});
	});
}

/** A loopback URL with nothing listening: connections are refused at once. */
export async function closedPortUrl(): Promise<string> {
	return `http://127.0.0.1:${await freePort()}`;
}
