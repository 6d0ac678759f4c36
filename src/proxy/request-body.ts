/**
 * The caller's body on its way up (docs/proxy.md#streaming): a small body with a declared
 * length is read into memory so the call can be replayed (after a 401 refresh, or a retry);
 * anything larger, or of unknown length, streams through untouched and is sent exactly once.
 */

/** The largest body kept for replay. */
export const REPLAYABLE_BYTES = 1024 * 1024;

export type OutgoingBody =
	| { kind: "none" }
	| { kind: "buffered"; bytes: Uint8Array }
	| { kind: "streamed"; stream: ReadableStream<Uint8Array> };

export async function outgoingBody(request: Request): Promise<OutgoingBody> {
	if (request.body === null) return { kind: "none" };
	const declared = request.headers.get("content-length");
	// The runtime ends the body at its declared length, so this read is bounded.
	if (declared !== null && /^\d+$/.test(declared) && Number(declared) <= REPLAYABLE_BYTES) {
		return { kind: "buffered", bytes: new Uint8Array(await request.arrayBuffer()) };
	}
	return { kind: "streamed", stream: request.body };
}

/** True when the body can be sent again. */
export function replayable(body: OutgoingBody): boolean {
	return body.kind !== "streamed";
}

/** What one attempt sends. */
export function bodyInit(body: OutgoingBody): BodyInit | null {
	switch (body.kind) {
		case "none":
			return null;
		case "buffered":
			return body.bytes;
		case "streamed":
			return body.stream;
	}
}
