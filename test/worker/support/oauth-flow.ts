// Drives the OAuth routes inside workerd as a browser would (no redirects followed) and reads what
// the result page would post to its opener; providers are mocked with provider-mocks.ts.
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { app } from "../../../src/app";
import { keyringFrom } from "../../../src/crypto/cipher";
import { database } from "../../../src/db/client";
import { takeSession } from "../../../src/db/sessions";
import type { Bindings } from "../../../src/env";
import type { PopupMessage } from "../../../src/flow/result-message";
import { createConfig as createApiConfig } from "./api";

export const ORIGIN = "http://localhost:3003";
export const CALLBACK = `${ORIGIN}/oauth/callback`;

/**
 * The browser's cookies for the worker (the flow cookie of /oauth/connect, docs/flows.md#browser-binding):
 * `get` stores what responses set and sends it back, as a browser would. `clear()` is another browser.
 */
export const cookieJar = {
	cookies: new Map<string, string>(),
	clear() {
		this.cookies.clear();
	},
	header(): string {
		return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
	},
	store(response: Response) {
		for (const line of response.headers.getSetCookie()) {
			const [pair = "", ...attributes] = line.split(";");
			const eq = pair.indexOf("=");
			const name = pair.slice(0, eq).trim();
			const expired = attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute));
			if (expired) this.cookies.delete(name);
			else this.cookies.set(name, pair.slice(eq + 1).trim());
		}
	},
};

/** A raw GET against the app (redirects are not followed), with optional env overrides. */
export async function get(
	pathAndQuery: string,
	overrides: Partial<Bindings> = {},
	headers: Record<string, string> = {},
) {
	const url = pathAndQuery.startsWith("http") ? pathAndQuery : `${ORIGIN}${pathAndQuery}`;
	const cookie = cookieJar.header();
	const response = await app.request(
		url,
		{ headers: { ...(cookie ? { cookie } : {}), ...headers } },
		{ ...env, ...overrides },
	);
	cookieJar.store(response);
	return response;
}

/** A config with the OAuth client these tests expect in provider requests. */
export function createConfig(key: string, body: Record<string, unknown>) {
	return createApiConfig(key, {
		oauth_client_id: "client-id",
		oauth_client_secret: "client-secret",
		oauth_scopes: "read",
		...body,
	});
}

/** A custom config whose provider lives at id.example.com (mock its token endpoint per test). */
export function createCustomConfig(key: string, fields: Record<string, unknown> = {}) {
	return createConfig(key, {
		provider: "custom",
		authorization_url: "https://id.example.com/authorize",
		token_url: "https://id.example.com/token",
		...fields,
	});
}

/** Runs /oauth/connect and returns the state the provider would send back. */
export async function flowState(key: string, connectionId: string, extra = ""): Promise<string> {
	const location = await connect(
		`/oauth/connect/${key}?connection_id=${encodeURIComponent(connectionId)}${extra}`,
	);
	return location.searchParams.get("state") ?? "";
}

/** Starts a flow and returns the provider URL it redirects to. */
export async function connect(path: string, overrides: Partial<Bindings> = {}): Promise<URL> {
	const response = await get(path, overrides);
	if (response.status !== 302) throw new Error(`connect: ${response.status} ${await response.text()}`);
	return new URL(response.headers.get("location") ?? "");
}

/** The stored session behind a state (consumes it, as the callback would). */
export async function sessionOf(state: string) {
	const taken = await takeSession(database(env.DB), await keyringFrom(env), state);
	if (!taken.ok) throw new Error(`no session: ${taken.reason}`);
	return taken.session;
}

/** The message the result page posts to its opener, read back from the page's script. */
export function postedMessage(html: string): PopupMessage {
	const literal = /const message = (.*);\n/.exec(html)?.[1];
	if (!literal) throw new Error(`no message in page:\n${html}`);
	return JSON.parse(literal) as PopupMessage;
}

export function expectPage(response: Response, status: number) {
	expect(response.status).toBe(status);
	expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
}
