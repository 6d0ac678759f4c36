/**
 * A body read as UTF-8 text up to a byte limit, counted as the chunks arrive: a body without a
 * Content-Length (chunked) must not be buffered whole before it is refused. Used for request
 * bodies (1 MB) and providers' answers (fetch.ts). Hand-written: `Response.text()` has no limit.
 */

/** The text, or undefined when the body passes `maxBytes` (the rest is cancelled, never read). */
export async function readCappedText(
	body: ReadableStream<Uint8Array> | null,
	maxBytes: number,
): Promise<string | undefined> {
	if (!body) return "";
	const reader = body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > maxBytes) {
			await reader.cancel();
			return undefined;
		}
		chunks.push(value);
	}
	const bytes = new Uint8Array(size);
	let offset = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, offset);
		offset += chunk.byteLength;
	}
	// What Response.text() does: invalid sequences become U+FFFD, a leading BOM is dropped.
	return new TextDecoder().decode(bytes);
}
