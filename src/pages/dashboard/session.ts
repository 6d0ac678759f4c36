/**
 * The dashboard's sign-in (docs/dashboard.md#sign-in): the operator proves the secret key once,
 * and gets an HttpOnly, SameSite=Strict cookie for 8 hours: `<expiry>.<nonce>.<mac>`, where the
 * mac is an HMAC under a key derived from the secret key. Nothing is stored: changing the secret
 * key signs every session out. Each form carries a CSRF token, an HMAC of the session's nonce,
 * checked in constant time on every POST.
 *
 * A worker without a secret key serves the dashboard on loopback hosts only (`npm run dev`),
 * signing with its encryption key, as it serves backend routes there without one.
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { randomBase64Url } from "../../crypto/base64url";
import { equalBytes } from "../../crypto/compare";
import { hmacSha256Key } from "../../crypto/digest";
import { toHex } from "../../crypto/hex";
import type { AppEnv } from "../../env";
import { isLoopbackHost } from "../../loopback";

export const SESSION_TTL_MS = 8 * 3600_000;
const COOKIE = "nango_dashboard";

export interface DashboardSession {
	nonce: string;
	/** the token every form of this session carries */
	csrf: string;
}

const isHttps = <E extends AppEnv>(c: Context<E>) => new URL(c.req.url).protocol === "https:";
const cookieOptions = <E extends AppEnv>(c: Context<E>) => {
	const secure = isHttps(c);
	return { path: "/dashboard", secure, ...(secure ? { prefix: "host" as const } : {}) };
};

/**
 * What signs sessions here, or undefined when the dashboard must not be served: no secret key on
 * a host that is not loopback.
 */
export function signingSecret<E extends AppEnv>(c: Context<E>): string | undefined {
	const secret = c.env.NANGO_SECRET_KEY?.trim();
	if (secret) return secret;
	if (!isLoopbackHost(new URL(c.req.url).hostname)) return undefined;
	return c.env.NANGO_ENCRYPTION_KEY?.trim() || "nango-edge-local";
}

/** Whether no key is needed to sign in (a local worker without a secret key). */
export function openLocally<E extends AppEnv>(c: Context<E>): boolean {
	return !c.env.NANGO_SECRET_KEY?.trim() && isLoopbackHost(new URL(c.req.url).hostname);
}

export async function startSession<E extends AppEnv>(c: Context<E>, secret: string): Promise<void> {
	const expires = Date.now() + SESSION_TTL_MS;
	const nonce = randomBase64Url(24);
	const mac = await macOf(secret, `session:${expires}:${nonce}`);
	// `prefix` is passed inside cookieOptions; Path=/dashboard keeps it off every other route.
	setCookie(c, COOKIE, `${expires}.${nonce}.${mac}`, {
		...cookieOptions(c),
		httpOnly: true,
		sameSite: "Strict",
		maxAge: SESSION_TTL_MS / 1000,
	});
}

export function endSession<E extends AppEnv>(c: Context<E>): void {
	const { prefix, ...options } = cookieOptions(c);
	deleteCookie(c, COOKIE, { ...options, ...(prefix ? { prefix } : {}) });
}

/** The signed-in session the request carries, or undefined. */
export async function currentSession<E extends AppEnv>(
	c: Context<E>,
	secret: string,
): Promise<DashboardSession | undefined> {
	const { prefix } = cookieOptions(c);
	const value = getCookie(c, COOKIE, prefix);
	const [expires, nonce, mac, extra] = value?.split(".") ?? [];
	if (!expires || !nonce || !mac || extra !== undefined) return undefined;
	if (!(Number(expires) > Date.now())) return undefined;
	const expected = await macOf(secret, `session:${expires}:${nonce}`);
	if (!sameText(mac, expected)) return undefined;
	return { nonce, csrf: await macOf(secret, `csrf:${nonce}`) };
}

/** Whether a form's CSRF token is this session's. */
export function validCsrf(session: DashboardSession, presented: unknown): boolean {
	return typeof presented === "string" && sameText(presented, session.csrf);
}

async function macOf(secret: string, message: string): Promise<string> {
	const key = await hmacSha256Key(`dashboard:${secret}`, "sign");
	return toHex(new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(message))));
}

function sameText(presented: string, expected: string): boolean {
	const encoder = new TextEncoder();
	return equalBytes(encoder.encode(presented), encoder.encode(expected));
}
