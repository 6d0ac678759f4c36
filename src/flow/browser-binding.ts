/**
 * The cookie that binds a flow to the browser that started it (docs/flows.md#browser-binding):
 * `/oauth/connect` sets a random value, the flow session keeps its SHA-256, and `/oauth/callback`
 * accepts only a request carrying it. Without it, an attacker could start a flow for their own
 * connection, send the provider URL to a victim, and have the victim's tokens stored under the
 * attacker's connection id (login CSRF; RFC 6819 §4.4.1.8).
 *
 * One cookie per flow, named after its state, so two flows in one browser do not clash.
 * SameSite=Lax: the provider's redirect back is a top-level GET navigation, which carries Lax
 * cookies. On https the `__Host-` prefix keeps sibling subdomains from planting one.
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { randomBase64Url } from "../crypto/base64url";
import { equalBytes } from "../crypto/compare";
import { sha256Hex } from "../crypto/digest";
import { SESSION_TTL_MS } from "./session";

export interface FlowCookie {
	value: string;
	/** what the flow session stores */
	hash: string;
}

export async function newFlowCookie(): Promise<FlowCookie> {
	const value = randomBase64Url(32);
	return { value, hash: await sha256Hex(value) };
}

// The state is base64url; its first 16 characters (96 bits) keep concurrent flows apart.
const cookieName = (state: string) => `nango_flow_${state.slice(0, 16)}`;
const isHttps = (c: Context) => new URL(c.req.url).protocol === "https:";

export function setFlowCookie(c: Context, state: string, value: string): void {
	const secure = isHttps(c);
	setCookie(c, cookieName(state), value, {
		path: "/",
		httpOnly: true,
		sameSite: "Lax",
		maxAge: SESSION_TTL_MS / 1000,
		secure,
		...(secure ? { prefix: "host" as const } : {}),
	});
}

/** The flow cookie a callback carries for `state`, removed from the browser as it is read. */
export function takeFlowCookie(c: Context, state: string): string | undefined {
	const secure = isHttps(c);
	const value = getCookie(c, cookieName(state), secure ? "host" : undefined);
	if (value !== undefined) {
		deleteCookie(c, cookieName(state), { path: "/", secure, ...(secure ? { prefix: "host" as const } : {}) });
	}
	return value;
}

/** Constant-time: whether a presented cookie value is the one whose hash the session holds. */
export async function matchesFlowCookie(value: string | undefined, hash: string): Promise<boolean> {
	if (value === undefined) return false;
	const encoder = new TextEncoder();
	return equalBytes(encoder.encode(await sha256Hex(value)), encoder.encode(hash));
}
