/**
 * The shape of a provider template (docs/api.md#template-fields): Nango's field vocabulary, typed. A custom config
 * carries the same fields (validated by `templateFieldsSchema`) instead of naming a catalog entry.
 */
import * as v from "valibot";
import { AUTH_MODE_NAMES, type AuthModeName } from "../connections/credentials";

export interface ConnectionConfigField {
	/** what the user must supply, e.g. "Your Zendesk subdomain (acme for acme.zendesk.com)" */
	description: string;
	/** a regular expression the value must match, when the provider constrains it */
	pattern?: string;
	/** used when the connection gives no value (Microsoft tenant `common`): the field is then optional */
	default?: string;
}

export interface ProviderTemplate {
	auth_mode: AuthModeName;
	/** display name */
	name?: string;
	/** OAuth modes and the GitHub App install page; absent for API_KEY and BASIC */
	authorization_url?: string;
	/** OAuth modes, client credentials and the App's installation-token endpoint */
	token_url?: string;
	/** only where refresh uses another endpoint than token_url */
	refresh_url?: string;
	/** OAuth 1.0a request-token endpoint */
	request_url?: string;
	authorization_params?: Record<string, string>;
	token_params?: Record<string, string>;
	refresh_params?: Record<string, string>;
	/** joins scopes in the authorization URL; default " " */
	scope_separator?: string;
	/** scopes always requested, whatever the config lists (e.g. offline_access) */
	default_scopes?: string[];
	/** where the client id and secret go in token requests; default "body" */
	token_request_auth_method?: "body" | "basic";
	/** token request body encoding; default "form" */
	body_format?: "form" | "json";
	/** the provider rejects PKCE parameters (e.g. LinkedIn) */
	disable_pkce?: boolean;
	/** placeholders the user must supply, by name: `${connectionConfig.subdomain}` */
	connection_config?: Record<string, ConnectionConfigField>;
	/** callback query parameters kept in the connection's metadata (e.g. QuickBooks realmId) */
	redirect_uri_metadata?: string[];
	/** token-response fields kept in the connection's metadata (e.g. Salesforce instance_url) */
	token_response_metadata?: string[];
	/** seconds before expiry at which a token counts as stale; default 900 (15 min) */
	token_expiration_buffer?: number;
	/** where the access token sits when not at the top level (Slack: ["authed_user"]) */
	alternate_access_token_response_path?: string[];
	/** the provider reports token errors with HTTP 200 and an `error` field (GitHub) */
	errors_with_status_200?: boolean;
	/** `expires_in` is in milliseconds, not seconds */
	expires_in_unit?: "seconds" | "milliseconds";
	/** link to the provider's OAuth documentation */
	docs?: string;
	/** how the proxy calls the provider's API (docs/proxy.md) */
	proxy?: ProxyFields;
	/** the request that tests new API-key or basic credentials before they are stored */
	verification?: VerificationFields;
}

export interface ProxyFields {
	/** the API's base URL; may hold `${connectionConfig.NAME}` placeholders (`A || B`: B when A's are unset) */
	base_url?: string;
	/** headers sent with every proxied call; values are templates (src/proxy/template-values.ts) */
	headers?: Record<string, string>;
	/** query parameters sent with every proxied call, templates as headers */
	query?: Record<string, string>;
	/** response headers that say when to retry: `after` (seconds to wait) or `at` (the reset time) */
	retry?: { after?: string; at?: string };
}

export interface VerificationFields {
	method: "GET" | "POST";
	/** paths under `proxy.base_url`, tried in order: the first 2xx accepts the credentials */
	endpoints: string[];
}

const stringMap = v.record(v.string(), v.string());

/** Fields a custom config may carry (docs/api.md#template-fields); URLs are checked separately (https or loopback). */
export const templateFieldsSchema = v.strictObject({
	auth_mode: v.optional(v.picklist(AUTH_MODE_NAMES)),
	name: v.optional(v.pipe(v.string(), v.maxLength(255))),
	authorization_url: v.optional(v.pipe(v.string(), v.maxLength(2048))),
	token_url: v.optional(v.pipe(v.string(), v.maxLength(2048))),
	refresh_url: v.optional(v.pipe(v.string(), v.maxLength(2048))),
	request_url: v.optional(v.pipe(v.string(), v.maxLength(2048))),
	authorization_params: v.optional(stringMap),
	token_params: v.optional(stringMap),
	refresh_params: v.optional(stringMap),
	scope_separator: v.optional(v.pipe(v.string(), v.maxLength(8))),
	default_scopes: v.optional(v.array(v.string())),
	token_request_auth_method: v.optional(v.picklist(["body", "basic"])),
	body_format: v.optional(v.picklist(["form", "json"])),
	disable_pkce: v.optional(v.boolean()),
	connection_config: v.optional(
		v.record(
			v.string(),
			v.object({
				description: v.string(),
				// exactOptional: typed like ConnectionConfigField (no `undefined` values)
				pattern: v.exactOptional(v.string()),
				default: v.exactOptional(v.string()),
			}),
		),
	),
	redirect_uri_metadata: v.optional(v.array(v.string())),
	token_response_metadata: v.optional(v.array(v.string())),
	token_expiration_buffer: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
	alternate_access_token_response_path: v.optional(v.array(v.string())),
	errors_with_status_200: v.optional(v.boolean()),
	expires_in_unit: v.optional(v.picklist(["seconds", "milliseconds"])),
	docs: v.optional(v.string()),
	proxy: v.optional(
		v.strictObject({
			base_url: v.exactOptional(v.pipe(v.string(), v.maxLength(2048))),
			headers: v.exactOptional(stringMap),
			query: v.exactOptional(stringMap),
			retry: v.exactOptional(
				v.strictObject({ after: v.exactOptional(v.string()), at: v.exactOptional(v.string()) }),
			),
		}),
	),
	verification: v.optional(
		v.strictObject({
			method: v.picklist(["GET", "POST"]),
			endpoints: v.pipe(v.array(v.pipe(v.string(), v.maxLength(2048))), v.minLength(1), v.maxLength(4)),
		}),
	),
});

export type TemplateFields = v.InferOutput<typeof templateFieldsSchema>;

/**
 * A URL the template's mode requires (the catalog schema and custom-config checks guarantee it);
 * a TypeError otherwise, as an unparsable URL is reported.
 */
export function requiredUrl(template: ProviderTemplate, field: "authorization_url" | "token_url"): string {
	const url = template[field];
	if (url === undefined) throw new TypeError(`the template has no ${field}`);
	return url;
}
