/**
 * The 1 MB body limit (docs/api.md#errors) holds while the body is read: a chunked body without
 * Content-Length is cut off as soon as it passes the limit, not read whole first.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BEARER, unique } from "./support/api";

// `wrangler types` does not declare the main module, so `exports.default` is untyped here.
const worker = (exports as unknown as { default: Fetcher }).default;

const MB = 1024 * 1024;

/** An endless-looking JSON body: `{"x":"aaaa…` in 1 MB chunks, at most `chunks` of them. */
function hugeBody(chunks: number) {
	const counts = { pulled: 0, cancelled: false };
	const filler = new TextEncoder().encode("a".repeat(MB));
	const stream = new ReadableStream<Uint8Array>({
		pull(controller) {
			counts.pulled += 1;
			if (counts.pulled === 1) controller.enqueue(new TextEncoder().encode('{"provider_config_key":"'));
			else if (counts.pulled <= chunks) controller.enqueue(filler);
			else {
				controller.enqueue(new TextEncoder().encode('"}'));
				controller.close();
			}
		},
		cancel() {
			counts.cancelled = true;
		},
	});
	return { stream, counts };
}

describe("request body size (docs/api.md#errors)", () => {
	it("stops reading a chunked body without Content-Length once it passes 1 MB", async () => {
		const { stream, counts } = hugeBody(64);
		const response = await worker.fetch("http://localhost/config", {
			method: "POST",
			headers: { ...BEARER, "content-type": "application/json" },
			body: stream,
		});
		expect(response.status).toBe(413);
		expect(await response.json()).toMatchObject({ code: "payload_too_large" });
		// A few chunks may be in flight between the caller and the worker; never the whole 64 MB.
		expect(counts.pulled).toBeLessThan(8);
	});

	it("still reads a chunked body under the limit, multi-byte characters split across chunks", async () => {
		const key = unique("chunked");
		const text = JSON.stringify({
			provider_config_key: key,
			provider: "github",
			oauth_client_id: "id-é€😀",
			oauth_client_secret: "secret",
			oauth_scopes: "repo",
		});
		const bytes = new TextEncoder().encode(text);
		const stream = new ReadableStream<Uint8Array>({
			start(controller) {
				// one byte at a time: every multi-byte character is split
				for (const byte of bytes) controller.enqueue(Uint8Array.of(byte));
				controller.close();
			},
		});
		const response = await worker.fetch("http://localhost/config", {
			method: "POST",
			headers: { ...BEARER, "content-type": "application/json" },
			body: stream,
		});
		expect(response.status).toBe(200);
		const read = await worker.fetch(`http://localhost/config/${key}`, { headers: BEARER });
		expect(await read.json()).toMatchObject({ config: { oauth_client_id: "id-é€😀" } });
	});
});
