/**
 * One proxied request on its way to the provider: redirects come back as they are (never
 * followed with the connection's credentials), and the provider has `HEADERS_TIMEOUT_MS` to
 * start answering; the body then streams for as long as it takes.
 */
import { USER_AGENT } from "../providers/fetch";

export const HEADERS_TIMEOUT_MS = 30_000;

export type Sent = { ok: true; response: Response } | { ok: false; reason: "timeout" | "network" };

export async function send(request: Request, timeoutMs = HEADERS_TIMEOUT_MS): Promise<Sent> {
	if (!request.headers.has("user-agent")) request.headers.set("user-agent", USER_AGENT);
	// Not AbortSignal.timeout: that would also cut a long download off once its headers are in.
	const controller = new AbortController();
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		controller.abort();
	}, timeoutMs);
	try {
		// workerd rejects redirect: "error"; "manual" hands a 3xx back to the caller untouched.
		const response = await fetch(request, { redirect: "manual", signal: controller.signal });
		return { ok: true, response };
	} catch {
		return { ok: false, reason: timedOut ? "timeout" : "network" };
	} finally {
		clearTimeout(timer);
	}
}
