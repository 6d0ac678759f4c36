/**
 * Connect sessions (docs/connect-sessions.md), as today's Nango serves them:
 * - `POST /connect/sessions` and `POST /connect/sessions/reconnect` (secret key): the app's
 *   backend mints a 30-minute token that lets one end user's browser start flows;
 * - `GET /connect/session` and `DELETE /connect/session` (`Authorization: Bearer <session token>`):
 *   what the Connect UI shows, and revocation.
 * Errors here have today's shape, `{"error": {"code", "message"}}` (set up in app.ts).
 */
import { Hono } from "hono";
import { sessionDisplay } from "../connect-sessions/display";
import type { ConnectSessionBody, ReconnectSessionBody } from "../connect-sessions/input";
import { connectSessionBodySchema, reconnectSessionBodySchema } from "../connect-sessions/input";
import type { ConnectSession, EndUser } from "../connect-sessions/session";
import { CONNECT_SESSION_TTL_MS, newConnectSessionToken } from "../connect-sessions/token";
import { type Db, database } from "../db/client";
import { listConfigs, missingConfigKeys } from "../db/configs";
import { deleteConnectSession, findConnectSession, saveConnectSession } from "../db/connect-sessions";
import { connectionConfigOf } from "../db/connections";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { readJson } from "../input/body";
import { publicOrigin } from "../public-origin";

export const connectRoutes = new Hono<AppEnv>()
	.post("/sessions", async (c) => {
		const body = await readJson(c.req.raw, connectSessionBodySchema);
		const db = database(c.env.DB);
		await requireConfigs(db, [
			...(body.allowed_integrations ?? []),
			...Object.keys(body.integrations_config_defaults ?? {}),
		]);
		return c.json({ data: await mint(c.env, c.req.url, sessionOf(body, null)) }, 201);
	})
	.post("/sessions/reconnect", async (c) => {
		const body = await readJson(c.req.raw, reconnectSessionBodySchema);
		const db = database(c.env.DB);
		await requireConfigs(db, Object.keys(body.integrations_config_defaults ?? {}));
		if (!(await connectionConfigOf(db, body.integration_id, body.connection_id))) {
			throw new ApiError("unknown_connection");
		}
		const reconnect = { providerConfigKey: body.integration_id, connectionId: body.connection_id };
		return c.json({ data: await mint(c.env, c.req.url, sessionOf(body, reconnect)) }, 201);
	})
	.get("/session", async (c) => {
		const db = database(c.env.DB);
		const session = await findConnectSession(db, sessionToken(c.req.header("authorization")));
		if (!session) throw new ApiError("invalid_connect_session");
		return c.json({ data: sessionDisplay(session, await listConfigs(db)) });
	})
	.delete("/session", async (c) => {
		const db = database(c.env.DB);
		if (!(await deleteConnectSession(db, sessionToken(c.req.header("authorization"))))) {
			throw new ApiError("invalid_connect_session");
		}
		return c.body(null, 204);
	});

async function mint(env: AppEnv["Bindings"], requestUrl: string, session: ConnectSession) {
	const { token, hash } = await newConnectSessionToken();
	await saveConnectSession(database(env.DB), hash, session);
	return {
		token,
		connect_link: `${publicOrigin(env, requestUrl)}/connect/?session_token=${token}`,
		expires_at: new Date(session.expiresAt).toISOString(),
	};
}

function sessionOf(
	body: ConnectSessionBody | ReconnectSessionBody,
	reconnect: ConnectSession["reconnect"],
): ConnectSession {
	const endUser: EndUser | null = body.end_user
		? {
				id: body.end_user.id,
				email: body.end_user.email ?? null,
				display_name: body.end_user.display_name ?? null,
				tags: body.end_user.tags ?? null,
				organization: body.organization
					? { id: body.organization.id, display_name: body.organization.display_name ?? null }
					: null,
			}
		: null;
	return {
		endUser,
		organization: endUser?.organization ?? null,
		allowedIntegrations: ("allowed_integrations" in body && body.allowed_integrations) || null,
		integrationsConfigDefaults: body.integrations_config_defaults ?? {},
		tags: body.tags ?? {},
		reconnect,
		webhookUrl: body.webhook_url_override ?? null,
		expiresAt: Date.now() + CONNECT_SESSION_TTL_MS,
	};
}

async function requireConfigs(db: Db, keys: string[]): Promise<void> {
	const missing = await missingConfigKeys(db, keys);
	if (missing.length > 0) {
		throw new ApiError("invalid_body", `Unknown integration(s): ${missing.join(", ")}.`);
	}
}

function sessionToken(header: string | undefined): string {
	const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
	if (!match?.[1]) throw new ApiError("missing_connect_session_token");
	return match[1];
}
