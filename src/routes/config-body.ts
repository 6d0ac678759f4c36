/**
 * The body of `POST/PUT /config`: the early fields plus, for a custom
 * config (docs/api.md#config-body), any template field, and a GitHub App's own fields
 * (`app-config.ts`). Checked here so handlers store only valid configs.
 */
import * as v from "valibot";
import type { AuthModeName } from "../connections/credentials";
import type { ConfigInput } from "../db/configs";
import { ApiError } from "../errors";
import { providerConfigKeySchema } from "../input/identifiers";
import { isLoopbackHost } from "../loopback";
import { resolveTemplate } from "../providers/catalog";
import { unpatternedPlaceholders } from "../providers/placeholder-origin";
import { type TemplateFields, templateFieldsSchema } from "../providers/template";
import { type AppFields, appConfigEntries, appCredentials, hasAppFields, isAppConfig } from "./app-config";

const scopesSchema = v.union(
	[
		v.pipe(v.string(), v.maxLength(4096)),
		v.pipe(v.array(v.pipe(v.string(), v.maxLength(512))), v.maxLength(256)),
	],
	"missing_scopes",
);

export const configBodySchema = v.strictObject({
	...templateFieldsSchema.entries,
	provider_config_key: providerConfigKeySchema,
	provider: v.pipe(
		v.string("missing_provider_template"),
		v.nonEmpty("missing_provider_template"),
		v.maxLength(255),
	),
	// Optional here only because a GitHub App config has none: `oauthClient` requires them for
	// every other config, with the same codes.
	oauth_client_id: v.optional(
		v.pipe(v.string("missing_client_id"), v.nonEmpty("missing_client_id"), v.maxLength(4096)),
	),
	oauth_client_secret: v.optional(
		v.pipe(v.string("missing_client_secret"), v.nonEmpty("missing_client_secret"), v.maxLength(4096)),
	),
	oauth_scopes: v.optional(scopesSchema),
	...appConfigEntries,
});

type ConfigBody = v.InferOutput<typeof configBodySchema>;

const URL_FIELDS = ["authorization_url", "token_url", "refresh_url", "request_url"] as const;

export async function toConfigInput(body: ConfigBody): Promise<ConfigInput> {
	const {
		provider_config_key,
		provider,
		oauth_client_id,
		oauth_client_secret,
		oauth_scopes,
		app_id,
		app_private_key,
		app_slug,
		...fields
	} = body;
	const app: AppFields = { app_id, app_private_key, app_slug };
	const template: TemplateFields | null = Object.keys(fields).length > 0 ? fields : null;
	// A config names a catalog template, or carries its own endpoints (a custom config).
	const resolved = resolveTemplate(provider, template);
	// Checked first, as the early schema did, unless the body is plainly a GitHub App's or its
	// template's connections bring their own credentials (API key, basic, client credentials).
	const client = isAppConfig(provider, template, app)
		? undefined
		: resolved && CLIENTLESS_MODES.has(resolved.auth_mode)
			? { id: oauth_client_id ?? "", secret: oauth_client_secret ?? "", scopes: oauth_scopes ?? [] }
			: oauthClient(body);
	for (const field of URL_FIELDS) {
		const url = template?.[field];
		if (url !== undefined) checkEndpoint(field, url);
	}
	if (!resolved) {
		throw new ApiError(
			"unknown_provider_template",
			`Unknown provider template '${provider}': use a key from GET /providers, or give authorization_url and token_url for a custom provider.`,
		);
	}
	const unpatterned = unpatternedPlaceholders(resolved);
	if (unpatterned.length > 0) {
		throw new ApiError(
			"invalid_body",
			`connection_config must declare a pattern for every placeholder the URLs use: ${unpatterned.join(", ")}.`,
		);
	}
	if (resolved.auth_mode === "APP") {
		return {
			uniqueKey: provider_config_key,
			provider,
			...(await appCredentials(app, body)),
			oauthScopes: normalizeScopes(oauth_scopes ?? []),
			template,
		};
	}
	if (!client || hasAppFields(app)) {
		throw new ApiError(
			"invalid_body",
			"app_id, app_private_key and app_slug belong to GitHub App configs (a template of auth mode APP, e.g. github-app).",
		);
	}
	return {
		uniqueKey: provider_config_key,
		provider,
		oauthClientId: client.id,
		oauthClientSecret: client.secret,
		oauthScopes: normalizeScopes(client.scopes),
		template,
		appSlug: null,
	};
}

/**
 * Modes whose connections carry all their credentials: the integration needs no OAuth client
 * (API keys and passwords come from the user; a client-credentials connection holds its own
 * client id and secret), as in today's Nango.
 */
const CLIENTLESS_MODES: ReadonlySet<AuthModeName> = new Set(["API_KEY", "BASIC", "OAUTH2_CC"]);

/** The OAuth client every config but a GitHub App's needs, refused with the early codes. */
function oauthClient(body: ConfigBody): { id: string; secret: string; scopes: string | string[] } {
	if (body.oauth_client_id === undefined) throw new ApiError("missing_client_id");
	if (body.oauth_client_secret === undefined) throw new ApiError("missing_client_secret");
	if (body.oauth_scopes === undefined) throw new ApiError("missing_scopes");
	return { id: body.oauth_client_id, secret: body.oauth_client_secret, scopes: body.oauth_scopes };
}

/** Scopes arrive comma- or space-separated (early CLI) or as an array (modern clients). */
function normalizeScopes(scopes: string | string[]): string[] {
	const list = typeof scopes === "string" ? scopes.split(/[\s,]+/) : scopes.map((scope) => scope.trim());
	return [...new Set(list.filter((scope) => scope.length > 0))];
}

/** Endpoints must be https; plain http only for loopback (a local authorization server). */
function checkEndpoint(field: string, value: string): void {
	// Placeholders are filled per connection; check the URL with a harmless stand-in.
	const candidate = value.replaceAll(/\$\{[^}]*\}/g, "placeholder");
	let url: URL;
	try {
		url = new URL(candidate);
	} catch {
		throw new ApiError("invalid_endpoint", `${field} is not a valid URL.`);
	}
	const ok = url.protocol === "https:" || (url.protocol === "http:" && isLoopbackHost(url.hostname));
	if (!ok)
		throw new ApiError(
			"invalid_endpoint",
			`${field} must be an https:// URL (http:// only for loopback hosts).`,
		);
}
