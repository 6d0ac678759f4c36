/**
 * A GitHub App config's own fields in `POST/PUT /config` (docs/github-app.md#config): `app_id`,
 * `app_private_key` (PEM) and `app_slug`, stored in the config's client id, sealed client secret
 * and `app_slug` columns. The key is imported once here, so a config that cannot sign is refused
 * when it is stored, not when a user installs the app.
 */
import * as v from "valibot";
import { APP_SLUG_PATTERN } from "../auth-modes/github-app";
import { AppKeyError, importAppKey } from "../auth-modes/github-app/app-jwt";
import type { ConfigInput } from "../db/configs";
import { ApiError } from "../errors";
import { getTemplate } from "../providers/catalog";
import type { TemplateFields } from "../providers/template";

export const appConfigEntries = {
	// GitHub shows app ids as numbers; today's Nango sends them as text.
	app_id: v.optional(
		v.pipe(
			v.union([v.pipe(v.number(), v.integer(), v.minValue(1)), v.string()], "invalid_app_id"),
			v.transform(String),
			v.regex(/^[1-9][0-9]{0,19}$/, "invalid_app_id"),
		),
	),
	// An RSA key in PEM is under 4 kB; 16 kB leaves room for line endings and whitespace.
	app_private_key: v.optional(v.pipe(v.string("invalid_app_private_key"), v.maxLength(16384))),
	app_slug: v.optional(v.pipe(v.string("invalid_app_slug"), v.regex(APP_SLUG_PATTERN, "invalid_app_slug"))),
};

export interface AppFields {
	app_id: string | undefined;
	app_private_key: string | undefined;
	app_slug: string | undefined;
}

export function hasAppFields(app: AppFields): boolean {
	return app.app_id !== undefined || app.app_private_key !== undefined || app.app_slug !== undefined;
}

/** True when the body is a GitHub App's: it carries app fields or names a template of mode APP. */
export function isAppConfig(provider: string, template: TemplateFields | null, app: AppFields): boolean {
	const mode = template?.auth_mode ?? getTemplate(provider)?.auth_mode;
	return hasAppFields(app) || mode === "APP";
}

/** The config columns an APP config fills, or the first field missing or unusable. */
export async function appCredentials(
	app: AppFields,
	body: { oauth_client_id?: string | undefined; oauth_client_secret?: string | undefined },
): Promise<Pick<ConfigInput, "oauthClientId" | "oauthClientSecret" | "appSlug">> {
	if (body.oauth_client_id !== undefined || body.oauth_client_secret !== undefined) {
		throw new ApiError(
			"invalid_body",
			"A GitHub App config takes app_id and app_private_key instead of oauth_client_id and oauth_client_secret.",
		);
	}
	if (app.app_id === undefined) throw new ApiError("missing_app_id");
	if (app.app_private_key === undefined) throw new ApiError("missing_app_private_key");
	if (app.app_slug === undefined) throw new ApiError("missing_app_slug");
	try {
		await importAppKey(app.app_private_key);
	} catch (error) {
		if (error instanceof AppKeyError) throw new ApiError("invalid_app_private_key", error.message);
		throw error;
	}
	return { oauthClientId: app.app_id, oauthClientSecret: app.app_private_key, appSlug: app.app_slug };
}
