/**
 * The Hono app: mounts every resource's routes behind the right guard, and writes every error
 * as `{"error", "code"}` (docs/api.md#errors) in one place.
 */
import { type Context, Hono } from "hono";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "./env";
import { ApiError, type ErrorCode, errorBody, todayErrorBody } from "./errors";
import { asApiError } from "./known-errors";
import { backendCors } from "./middleware/backend-cors";
import { anonymousRateLimit } from "./middleware/rate-limit";
import { resultSocket } from "./middleware/result-socket";
import { secretAuth } from "./middleware/secret-auth";
import { connectUiPage, connectUiRedirect } from "./pages/connect-ui/routes";
import { dashboardRoutes } from "./pages/dashboard/routes";
import { adminRoutes } from "./routes/admin";
import { configRoutes } from "./routes/config";
import { connectRoutes } from "./routes/connect";
import { connectionRoutes } from "./routes/connection";
import { connectionsRoutes } from "./routes/connections";
import { apiAuthRoutes, clientCredentialsRoutes } from "./routes/credential-auth";
import { integrationsRoutes } from "./routes/integrations";
import { oauthRoutes } from "./routes/oauth";
import { providersRoutes } from "./routes/providers";
import { proxyRoutes } from "./routes/proxy";
import { sdkRoutes } from "./routes/sdk";

const BACKEND_PATHS = [
	"/config",
	"/connection",
	"/connections",
	"/integrations",
	"/admin",
	"/connect/sessions",
	"/proxy",
] as const;

/**
 * The routes anyone may call, limited per client address (docs/api.md#rate-limits). `/` is the
 * result WebSocket's upgrade. A new anonymous route is appended here.
 */
export const ANONYMOUS_PATHS: readonly string[] = [
	"/oauth/connect/*",
	"/oauth/callback",
	"/",
	// the page's view of its connect session: called from browsers with a session token
	"/connect/session",
	// the Connect UI page (docs/connect-ui.md) and its slashless redirect
	"/connect/",
	"/connect",
	// the dashboard's sign-in takes the secret key: guessing it is throttled per address
	"/dashboard/sign-in",
	// connections from credentials the end user types in (API key, basic, client credentials)
	"/api-auth/*",
	"/oauth2/*",
];

/** Routes only today's Nango has: errors in its shape (docs/api.md#errors). */
const TODAY_PATHS = ["/connect/*", "/api-auth/*", "/oauth2/*", "/proxy/*"] as const;

export const app = new Hono<AppEnv>();

// Routes only today's Nango has answer errors in its shape; set before any guard can throw.
for (const path of TODAY_PATHS) {
	app.use(path, async (c, next) => {
		c.set("errorShape", "today");
		await next();
	});
}
// Today's frontend posts credentials from the app's own page: any origin, no cookies.
for (const path of ["/api-auth/*", "/oauth2/*"]) {
	app.use(path, cors({ origin: "*", allowMethods: ["POST"], allowHeaders: ["Content-Type"] }));
}
for (const path of BACKEND_PATHS) {
	// Browsers may call backend routes only from the origins the operator lists.
	app.use(`${path}/*`, backendCors, secretAuth);
}
for (const path of ANONYMOUS_PATHS) app.use(path, anonymousRateLimit);

app.get("/health", (c) => c.json({ result: "ok" }));
// Readiness: one trivial D1 read. Also the benchmark's floor for any route that reads storage.
app.get("/health/storage", async (c) => {
	try {
		await c.env.DB.prepare("SELECT 1").first();
	} catch {
		throw new ApiError("storage_unavailable");
	}
	return c.json({ result: "ok" });
});
// A WebSocket upgrade on `/` is the result channel of @nangohq/frontend 0.9.0 (docs/flows.md#websocket).
app.get("/", resultSocket);
app.get("/", (c) => c.json({ result: "ok" }));
app.route("/config", configRoutes);
app.route("/connection", connectionRoutes);
app.route("/connections", connectionsRoutes);
app.route("/integrations", integrationsRoutes);
app.route("/admin", adminRoutes);
app.route("/providers", providersRoutes);
app.route("/oauth", oauthRoutes);
// The Connect UI before the session routes: `/connect/` is the page, `/connect/session` the API.
app.get("/connect", connectUiRedirect);
app.get("/connect/", connectUiPage);
app.route("/connect", connectRoutes);
app.route("/sdk", sdkRoutes);
app.route("/dashboard", dashboardRoutes);
app.route("/api-auth", apiAuthRoutes);
app.route("/oauth2", clientCredentialsRoutes);
app.route("/proxy", proxyRoutes);

const body = (c: Context<AppEnv>, code: ErrorCode, message?: string) =>
	c.get("errorShape") === "today" ? todayErrorBody(code, message) : errorBody(code, message);

app.notFound((c) => c.json(body(c, "not_found"), 404));

app.onError((error, c) => {
	const known = asApiError(error);
	if (known) {
		if (known.code === "storage_unavailable") {
			console.error(`storage unavailable on ${c.req.method} ${new URL(c.req.url).pathname}`);
		}
		return c.json(body(c, known.code, known.message), known.status);
	}
	if (error instanceof HTTPException) {
		const status = error.status;
		return c.json({ error: error.message || "Request failed.", code: `http_${status}` }, status);
	}
	// Name only: messages of storage errors may quote data, and nothing secret is ever logged.
	console.error(`unexpected ${error.name} on ${c.req.method} ${new URL(c.req.url).pathname}`);
	return c.json(body(c, "internal_error"), 500);
});
