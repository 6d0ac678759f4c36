/**
 * A per-client limit on the routes anyone may call (docs/api.md#rate-limits): the OAuth flow and
 * the result WebSocket take no secret, so without it one client could fill D1 with flow sessions
 * and Durable Objects with channels. Counted by the Workers rate-limiting binding
 * `ANONYMOUS_RATE_LIMIT` (wrangler.toml), one counter per client address for all these paths.
 *
 * @example app.use("/oauth/callback", anonymousRateLimit)
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { resultPage } from "../flow/result-page";

export const anonymousRateLimit = createMiddleware<AppEnv>(async (c, next) => {
	const key = clientKey(c.req.header("cf-connecting-ip"));
	if (key === undefined) return next();
	let allowed: boolean;
	try {
		({ success: allowed } = await c.env.ANONYMOUS_RATE_LIMIT.limit({ key }));
	} catch (error) {
		// A limiter that cannot answer must not take the flow down with it: let the request through.
		console.error(`rate limit unavailable: ${error instanceof Error ? error.name : "error"}`);
		return next();
	}
	if (allowed) return next();
	// A person is looking at the flow's popup: it gets the result page, which tells the opener.
	if (c.req.path.startsWith("/oauth/")) {
		return resultPage({ ok: false, failure: { reason: "rate_limited" }, context: {} });
	}
	throw new ApiError("rate_limited");
});

/**
 * The counter a client address falls into; undefined for no limit. Cloudflare always sets
 * CF-Connecting-IP (a client cannot forge it), so it is absent, or loopback, only in local
 * development (`npm run dev`, the test suites), which is exempt. An IPv6 client usually holds a
 * whole /64, so it is counted per /64 rather than per address.
 */
function clientKey(ip: string | undefined): string | undefined {
	if (!ip || isLoopbackAddress(ip)) return undefined;
	if (!ip.includes(":")) return ip;
	const [head = "", tail] = ip.toLowerCase().split("::");
	const groups = head ? head.split(":") : [];
	if (tail !== undefined) {
		const rest = tail ? tail.split(":") : [];
		groups.push(...Array<string>(Math.max(0, 8 - groups.length - rest.length)).fill("0"), ...rest);
	}
	return `${groups
		.slice(0, 4)
		.map((group) => group.replace(/^0+(?=.)/, ""))
		.join(":")}::/64`;
}

function isLoopbackAddress(ip: string): boolean {
	return /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/i.test(ip) || ip === "::1";
}
