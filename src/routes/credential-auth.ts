/**
 * Connections from credentials the end user types in (docs/credential-auth.md), as today's
 * `@nangohq/frontend` sends them: `POST /api-auth/api-key/:key` `{apiKey}`,
 * `POST /api-auth/basic/:key` `{username, password}` and `POST /oauth2/auth/:key`
 * `{client_id, client_secret}` (client credentials: the first token is fetched before answering).
 * The same rules as `/oauth/connect`: who may start one (a connect session, an hmac, or loopback),
 * `params[...]` under the session's defaults, host-choosing values only from the backend. When
 * the template declares a verification request the credentials are tried first; a rejection
 * stores nothing. Errors answer in today's shape, `{"error": {"code", "message"}}`.
 */
import { type Context, Hono } from "hono";
import * as v from "valibot";
import { fetchClientToken } from "../auth-modes/client-credentials";
import { ownerOf } from "../connect-sessions/session";
import { storeAuthorization } from "../connections/authorized";
import type { Credentials } from "../connections/credentials";
import { describeFailure as describeRefreshFailure } from "../connections/refresh-failure";
import { keyringFrom } from "../crypto/cipher";
import { database } from "../db/client";
import { findConfig } from "../db/configs";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { browserConfig, sessionConfig } from "../flow/connection-config";
import { describeFailure, type FlowFailure } from "../flow/failure";
import { grantConnection } from "../flow/grant";
import { ConnectionParamError, connectionParams } from "../flow/params";
import { readJson } from "../input/body";
import { providerConfigKeySchema } from "../input/identifiers";
import { resolveTemplate } from "../providers/catalog";
import { placeholderValues, resolveConnectionConfig, UrlParamError } from "../providers/placeholders";
import type { ProviderTemplate } from "../providers/template";
import { verifyCredentials } from "../proxy/verify";

type CredentialMode = "API_KEY" | "BASIC" | "OAUTH2_CC";

const secret = v.pipe(v.string(), v.nonEmpty(), v.maxLength(4096));
const apiKeyBody = v.strictObject({ apiKey: secret });
// Either part may be empty (an API key sent as the username, as several APIs take it), not both.
const basicBody = v.pipe(
	v.strictObject({
		username: v.pipe(v.string(), v.maxLength(1024)),
		password: v.pipe(v.string(), v.maxLength(4096)),
	}),
	v.check((body) => body.username !== "" || body.password !== "", "username or password is required"),
);
const clientCredentialsBody = v.strictObject({ client_id: secret, client_secret: secret });

export const apiAuthRoutes = new Hono<AppEnv>()
	.post("/api-key/:provider_config_key", (c) => createConnection(c, "API_KEY"))
	.post("/basic/:provider_config_key", (c) => createConnection(c, "BASIC"));

export const clientCredentialsRoutes = new Hono<AppEnv>().post("/auth/:provider_config_key", (c) =>
	createConnection(c, "OAUTH2_CC"),
);

async function createConnection(c: Context<AppEnv>, mode: CredentialMode): Promise<Response> {
	const providerConfigKey = c.req.param("provider_config_key") ?? "";
	const query = new URL(c.req.url).searchParams;
	const db = database(c.env.DB);
	const grant = await grantConnection(c.env, db, { providerConfigKey, query, requestUrl: c.req.url });
	if ("reason" in grant) return refused(c, grant);
	if (!v.is(providerConfigKeySchema, providerConfigKey))
		return refused(c, { reason: "unknown_config", providerConfigKey });
	const keyring = await keyringFrom(c.env);
	const config = await findConfig(db, keyring, providerConfigKey);
	if (!config) return refused(c, { reason: "unknown_config", providerConfigKey });
	const template = resolveTemplate(config.provider, config.template);
	if (!template) return refused(c, { reason: "no_template", provider: config.provider });
	if (template.auth_mode !== mode) {
		throw new ApiError(
			"auth_mode_mismatch",
			`The integration '${providerConfigKey}' uses ${template.auth_mode}, not ${mode}: use its own route.`,
		);
	}

	let connectionConfig: Record<string, string>;
	try {
		const params = connectionParams(query);
		const given = { ...browserConfig(template, params), ...sessionConfig(grant, providerConfigKey) };
		connectionConfig = resolveConnectionConfig(template, placeholderValues(given));
	} catch (error) {
		if (error instanceof UrlParamError || error instanceof ConnectionParamError) {
			return refused(c, { reason: "url_param", detail: error.message });
		}
		throw error;
	}

	const credentials = await credentialsFrom(c, mode, template, connectionConfig);
	const verified = await verifyCredentials(template, credentials, connectionConfig);
	if (!verified.ok) {
		throw new ApiError(
			"connection_test_failed",
			`The provider refused these credentials: ${verified.reason}.`,
		);
	}
	await storeAuthorization(
		c.env,
		db,
		keyring,
		{
			providerConfigKey,
			connectionId: grant.connectionId,
			credentials,
			connectionConfig,
			metadata: {},
			...(grant.session ? { owner: ownerOf(grant.session) } : {}),
		},
		config.provider,
	);
	return c.json({ connectionId: grant.connectionId, providerConfigKey });
}

/** The body as this mode's credentials; for client credentials, with the first token fetched. */
async function credentialsFrom(
	c: Context<AppEnv>,
	mode: CredentialMode,
	template: ProviderTemplate,
	connectionConfig: Record<string, string>,
): Promise<Credentials> {
	switch (mode) {
		case "API_KEY": {
			const body = await readJson(c.req.raw, apiKeyBody);
			return { type: "API_KEY", apiKey: body.apiKey };
		}
		case "BASIC": {
			const body = await readJson(c.req.raw, basicBody);
			return { type: "BASIC", username: body.username, password: body.password };
		}
		case "OAUTH2_CC": {
			const body = await readJson(c.req.raw, clientCredentialsBody);
			const token = await fetchClientToken({
				template,
				clientId: body.client_id,
				clientSecret: body.client_secret,
				connectionConfig,
				now: Date.now(),
			});
			if (!token.ok) {
				const { message } = describeRefreshFailure(token);
				throw new ApiError(
					"connection_test_failed",
					`The provider gave no token for this client: ${message}`,
				);
			}
			return token.credentials;
		}
	}
}

/** Who-may and config refusals, in today's error shape with the flow's error type as the code. */
function refused(c: Context<AppEnv>, failure: FlowFailure): Response {
	const { status, error } = describeFailure(failure);
	return c.json({ error: { code: error.type, message: error.message } }, status);
}
