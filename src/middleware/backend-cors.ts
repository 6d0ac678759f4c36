/**
 * CORS for backend routes: off unless `NANGO_CORS_ORIGINS` lists the origins whose pages may
 * call them (docs/api.md#cors). The secret key is still required from those pages.
 */
import { cors } from "hono/cors";
import { createMiddleware } from "hono/factory";
import type { AppEnv, Bindings } from "../env";

export const backendCors = createMiddleware<AppEnv>(async (c, next) => {
	const origins = allowedOrigins(c.env);
	if (origins.length === 0) return next();
	return cors({ origin: origins, credentials: false })(c, next);
});

function allowedOrigins(env: Bindings): string[] {
	return (env.NANGO_CORS_ORIGINS ?? "")
		.split(",")
		.map((origin) => origin.trim())
		.filter((origin) => origin.length > 0);
}
