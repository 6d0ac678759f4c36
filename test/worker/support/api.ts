/**
 * Calls the worker inside workerd the way a client would. `env` overrides let a test run the
 * same app with another configuration (no secret key, other keys) over the same real D1.
 */
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { Bindings } from "../../../src/env";
import worker from "../../../src/index";

export const SECRET = "test-secret-key";
export const BEARER = { authorization: `Bearer ${SECRET}` };

export interface CallOptions {
	body?: unknown;
	headers?: Record<string, string>;
	/** origin of the request URL; default http://localhost */
	origin?: string;
	env?: Partial<Bindings>;
	/** send no Authorization header */
	anonymous?: boolean;
	/** a body sent as it is (a stream, bytes), instead of `body` */
	rawBody?: BodyInit;
}

export async function call(method: string, path: string, options: CallOptions = {}) {
	const headers: Record<string, string> = { ...(options.anonymous ? {} : BEARER), ...options.headers };
	let body: string | undefined;
	if (options.body !== undefined) {
		body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
		headers["content-type"] ??= "application/json";
	}
	// Through the worker's entry, as a deployed request arrives (a token read from memory first).
	const response = await worker.fetch(
		new Request(`${options.origin ?? "http://localhost"}${path}`, {
			method,
			headers,
			...(options.rawBody !== undefined ? { body: options.rawBody } : body === undefined ? {} : { body }),
		}),
		{ ...env, ...options.env },
		createExecutionContext(),
	);
	const text = await response.text();
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	// Assertions walk the JSON body freely; a wrong path fails the assertion, not the compiler.
	// biome-ignore lint/suspicious/noExplicitAny: test-only view of a parsed response body
	return { status: response.status, headers: response.headers, text, json: json as Record<string, any> };
}

let counter = 0;
/** Storage is shared by the tests of one file: every test uses its own keys. */
export function unique(prefix: string): string {
	counter += 1;
	return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

export async function createConfig(key: string, overrides: Record<string, unknown> = {}) {
	const response = await call("POST", "/config", {
		body: {
			provider_config_key: key,
			provider: "github",
			oauth_client_id: "client-id-123",
			oauth_client_secret: "client-secret-SENSITIVE",
			oauth_scopes: "repo,user",
			...overrides,
		},
	});
	if (response.status !== 200) throw new Error(`createConfig: ${response.status} ${response.text}`);
	return response.json;
}

export async function importConnection(
	key: string,
	connectionId: string,
	extra: Record<string, unknown> = {},
) {
	const response = await call("POST", "/connection", {
		body: {
			provider_config_key: key,
			connection_id: connectionId,
			access_token: "access-token-SENSITIVE",
			refresh_token: "refresh-token-SENSITIVE",
			expires_at: new Date(Date.now() + 3600_000).toISOString(),
			...extra,
		},
	});
	if (response.status !== 201) throw new Error(`importConnection: ${response.status} ${response.text}`);
	return response.json;
}

/** GET /connection/:id for `key`; `query` goes on as is (e.g. "&force_refresh=true"). */
export function readConnection(
	key: string,
	connectionId: string,
	query = "",
	overrides: Partial<Bindings> = {},
) {
	return call("GET", `/connection/${encodeURIComponent(connectionId)}?provider_config_key=${key}${query}`, {
		env: overrides,
	});
}

/** A connect session (docs/connect-sessions.md) minted as the app's backend would; returns its token. */
export async function createConnectSession(body: Record<string, unknown> = { end_user: { id: "user-1" } }) {
	const response = await call("POST", "/connect/sessions", { body });
	if (response.status !== 201) throw new Error(`connect session: ${response.status} ${response.text}`);
	return String(response.json.data.token);
}
