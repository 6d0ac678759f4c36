/**
 * The browser SDK as an ES module any page can import without npm (docs/api.md#browser-sdk-module):
 * `import Nango from "https://<worker>/sdk/frontend.js"`. The bundle is built by
 * `sdk/frontend/build.mjs` (npm's `prepare`, wrangler's `[build]`) and imported as Text.
 */
/// <reference path="../../sdk/frontend/bundle-text.d.ts" />
import { Hono } from "hono";
import bundle from "../../sdk/frontend/dist/frontend.txt";
import { toHex } from "../crypto/hex";
import type { AppEnv } from "../env";

let etag: Promise<string> | undefined;

/** A strong validator of the bundle's bytes, computed once per isolate. */
function bundleEtag(): Promise<string> {
	etag ??= crypto.subtle.digest("SHA-256", new TextEncoder().encode(bundle)).then((digest) => {
		return `"${toHex(new Uint8Array(digest).slice(0, 12))}"`;
	});
	return etag;
}

export const sdkRoutes = new Hono<AppEnv>().get("/frontend.js", async (c) => {
	const tag = await bundleEtag();
	const headers = {
		"Content-Type": "text/javascript; charset=utf-8",
		// module scripts are fetched in CORS mode: without this, no other origin can import it
		"Access-Control-Allow-Origin": "*",
		"Cross-Origin-Resource-Policy": "cross-origin",
		"X-Content-Type-Options": "nosniff",
		// the URL is not versioned: short freshness, then cheap revalidation by ETag
		"Cache-Control": "public, max-age=300, stale-while-revalidate=86400",
		ETag: tag,
	};
	const ifNoneMatch = c.req.header("If-None-Match");
	if (ifNoneMatch?.split(",").some((value) => value.trim().replace(/^W\//, "") === tag)) {
		return c.body(null, 304, headers);
	}
	return c.body(bundle, 200, headers);
});
