/**
 * One HTTP call to the worker: URL building, the secret key, a timeout, JSON in and out, the
 * worker's `{"error", "code"}` (or today's `{"error": {"code", "message"}}`) turned into a `NangoError`, and retries of reads only.
 * Web platform APIs only (fetch, Request, AbortSignal, URLSearchParams): no Node built-ins.
 */
import { NangoError, NangoNetworkError, NangoTimeoutError } from "./errors.js";

/**
 * A replacement for the global fetch, given one complete Request (so a one-argument wrapper
 * cannot drop the method or body): in a Worker, `(request) => env.NANGO.fetch(request)`.
 */
export type FetchFunction = (request: Request) => Promise<Response>;

export interface TransportOptions {
	/** origin (and optional base path) without a trailing slash */
	host: string;
	secretKey: string | undefined;
	/** undefined: the global fetch */
	fetch: FetchFunction | undefined;
	timeoutMs: number;
	retries: number;
}

export interface Call {
	method: "GET" | "POST" | "PUT" | "DELETE";
	/** already encoded, starting with "/" */
	path: string;
	query?: Record<string, string | undefined>;
	body?: unknown;
}

const BACKOFF_MS = 100;

export class Transport {
	readonly #options: TransportOptions;

	constructor(options: TransportOptions) {
		this.#options = options;
	}

	/**
	 * Only GETs are retried: a POST or DELETE that failed with a 5xx or a reset may already have
	 * taken effect, and repeating it could create or delete twice. Timeouts are not retried either,
	 * so `timeoutMs` bounds how long a hung worker can hold the caller.
	 */
	async request<T>(call: Call): Promise<T> {
		const attempts = call.method === "GET" ? this.#options.retries + 1 : 1;
		for (let attempt = 1; ; attempt++) {
			try {
				return (await this.#once(call)) as T;
			} catch (error) {
				if (attempt >= attempts || !isRetryable(error)) throw error;
				await sleep(BACKOFF_MS * 2 ** (attempt - 1));
			}
		}
	}

	async #once(call: Call): Promise<unknown> {
		const url = this.#url(call);
		const headers = new Headers({ Accept: "application/json" });
		if (this.#options.secretKey) headers.set("Authorization", `Bearer ${this.#options.secretKey}`);
		const controller = new AbortController();
		const init: RequestInit = { method: call.method, headers, signal: controller.signal };
		if (call.body !== undefined) {
			headers.set("Content-Type", "application/json");
			init.body = JSON.stringify(call.body);
		}
		// The timeout is a race, not only an abort signal: Node's fetch loses the abort of a signal
		// that reaches it through a Request object once that object is garbage-collected (the
		// call then hangs forever). Aborting still frees the socket wherever the runtime honours it.
		let timer: ReturnType<typeof setTimeout> | undefined;
		const timedOut = new Promise<never>((_, reject) => {
			timer = setTimeout(() => {
				const reason = new DOMException("The request timed out.", "TimeoutError");
				controller.abort(reason);
				reject(reason);
			}, this.#options.timeoutMs);
		});
		let response: Response;
		let text: string;
		try {
			const custom = this.#options.fetch;
			// The global fetch gets (url, init): no intermediate Request whose signal could be lost.
			response = await Promise.race([custom ? custom(new Request(url, init)) : fetch(url, init), timedOut]);
			// The timeout also covers the body: a worker may send headers and then stall.
			text = await Promise.race([response.text(), timedOut]);
		} catch (error) {
			// Only the timer aborts: a fetch that rejected with its own AbortError lost the race narrowly.
			throw transportError(error, call, this.#options, controller.signal.aborted);
		} finally {
			clearTimeout(timer);
		}
		return parseResponse(response, text, call);
	}

	#url(call: Call): string {
		const query = new URLSearchParams();
		for (const [name, value] of Object.entries(call.query ?? {})) {
			if (value !== undefined) query.set(name, value);
		}
		const search = query.toString();
		return `${this.#options.host}${call.path}${search ? `?${search}` : ""}`;
	}
}

function parseResponse(response: Response, text: string, call: Call): unknown {
	let data: unknown;
	let isJson = true;
	try {
		data = text === "" ? undefined : JSON.parse(text);
	} catch {
		isJson = false;
	}
	if (response.ok) {
		if (isJson) return data;
		throw new NangoError(
			`${call.method} ${call.path} answered ${response.status} with a body that is not JSON.`,
			{
				status: response.status,
				code: "unexpected_response",
			},
		);
	}
	if (isRecord(data) && typeof data.error === "string") {
		const code = typeof data.code === "string" ? data.code : `http_${response.status}`;
		throw new NangoError(data.error, { status: response.status, code });
	}
	// Routes only today's Nango has (connect sessions) answer `{"error": {"code", "message"}}`.
	if (isRecord(data) && isRecord(data.error) && typeof data.error.message === "string") {
		const code = typeof data.error.code === "string" ? data.error.code : `http_${response.status}`;
		throw new NangoError(data.error.message, { status: response.status, code });
	}
	// Not the worker's error shape: a proxy's HTML page, a gateway, an old server.
	throw new NangoError(`${call.method} ${call.path} failed with HTTP ${response.status}.`, {
		status: response.status,
		code: `http_${response.status}`,
	});
}

function transportError(
	error: unknown,
	call: Call,
	options: TransportOptions,
	timedOut: boolean,
): NangoError {
	const where = `${call.method} ${options.host}${call.path}`;
	if (timedOut) {
		return new NangoTimeoutError(`${where} did not answer within ${options.timeoutMs} ms.`, error);
	}
	const reason = error instanceof Error ? causeMessage(error) : String(error);
	return new NangoNetworkError(`Could not reach ${where}: ${reason}`, error);
}

/** Node's fetch says only "fetch failed"; the useful part (ECONNREFUSED …) is in its cause. */
function causeMessage(error: Error): string {
	const cause: unknown = error.cause;
	if (cause instanceof Error && cause.message) return `${error.message} (${cause.message})`;
	if (isRecord(cause) && typeof cause.code === "string") return `${error.message} (${cause.code})`;
	return error.message;
}

function isRetryable(error: unknown): boolean {
	if (error instanceof NangoTimeoutError) return false;
	if (error instanceof NangoNetworkError) return true;
	return error instanceof NangoError && error.status >= 500;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
