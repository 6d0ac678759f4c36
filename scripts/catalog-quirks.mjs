/**
 * Hand-written provider quirks for `gen-catalog.mjs`: what `data/providers/providers.tsv` lacks or
 * states only in prose (its notes column), each with a comment naming the provider. The generated
 * result is listed in docs/providers.md; data/providers/README.md explains how the two combine.
 */

// Skipped for a quirk the table only states in its notes.
export const SKIP_KEYS = {
	"absorb-lms": "token calls need the Absorb REST API key and version as headers",
	myanimelist: "accepts only PKCE method plain; the engine sends S256",
};
export const SKIP_NOTES = [
	[/authorization URL param renames/, "renames standard authorization parameters"],
	[/authorization_url_fragment=/, "puts the authorization parameters after a URL fragment"],
	[/authorization code arrives in/, "delivers the code outside the `code` callback parameter"],
	// ADP: the token endpoint wants a client TLS certificate, which a Worker's fetch cannot present.
	[/client TLS certificate/, "token endpoint requires a client TLS certificate (mTLS)"],
];

// Hand-written quirks the table lacks or states only in prose, by provider (merged last).
export const OVERRIDES = {
	// Braintree: Nango's custom client goes through the Braintree SDK, which authenticates the
	// OAuth gateway with the client id and secret (HTTP Basic). Kept (an early 0.9 key) as Basic +
	// JSON, the closest generic form; not verified against Braintree.
	braintree: { token_request_auth_method: "basic" },
	"braintree-sandbox": { token_request_auth_method: "basic" },
	// GitHub answers a bad code with HTTP 200 and {"error": "bad_verification_code"}.
	github: { errors_with_status_200: true },
	// Slack: HTTP 200 with {"ok": false, "error": ...}; a user-scope-only install puts the user
	// token under `authed_user` (the top-level access_token is the bot token, when there is one).
	slack: { errors_with_status_200: true, alternate_access_token_response_path: ["authed_user"] },
	// Withings wraps tokens as {status, body: {...}}, reports errors with HTTP 200 and an `error`,
	// and wants action=requesttoken on refresh too.
	withings: {
		errors_with_status_200: true,
		alternate_access_token_response_path: ["body"],
		refresh_params: { action: "requesttoken" },
	},
	// Intercom: the table's URLs need a region (`app.${region}.intercom.com`) with no value for
	// US workspaces; keep the early, region-less endpoints (EU/AU workspaces: use a custom config).
	intercom: {
		authorization_url: "https://app.intercom.com/oauth",
		token_url: "https://api.intercom.io/auth/eagle/token",
	},
	// Instagram and Threads issue no refresh token; their refresh_url extends a long-lived access
	// token with a GET, which is not a refresh_token grant: leave it out.
	instagram: { refresh_url: undefined },
	// Fiserv (client credentials) answers `expires_in` in milliseconds.
	fiserv: { expires_in_unit: "milliseconds" },
	threads: { refresh_url: undefined },
};
// Modern Nango keys for templates the catalog keeps under their early names.
export const ALIASES = { "wave-accounting": "wave_accounting" };
// Hand-written help for the placeholders early users meet first.
export const DESCRIPTIONS = {
	"zendesk.subdomain": "Your Zendesk subdomain: acme for acme.zendesk.com",
	"shopify.subdomain": "Your shop name: acme for acme.myshopify.com",
	"salesforce.hostname": "Your login host: login.salesforce.com, or your My Domain host",
};
export const MICROSOFT_TENANT = {
	description: "Your Microsoft Entra tenant: a tenant id or domain, or common, organizations, consumers",
	default: "common",
};

// Values of top-level-domain placeholders, by provider.
export const TLDS = {
	extension: ["com", "eu", "in", "com.au", "jp", "ca", "com.cn", "sa", "uk"], // Zoho data centers
	"amazon.extension": ["com", "co.uk", "co.jp"], // Login with Amazon regions
	"battlenet.extension": ["net", "com.cn"],
	"exact-online.extension": ["nl", "be", "de", "co.uk", "com", "fr", "es"],
	"pingone.tld": ["com", "eu", "asia", "ca", "com.au", "sg"],
	"smartsheet.domain": ["smartsheet.com", "smartsheet.eu", "smartsheet.au"],
	"datadog-oauth.siteParameter": [
		"datadoghq.com",
		"us3.datadoghq.com",
		"us5.datadoghq.com",
		"ap1.datadoghq.com",
		"datadoghq.eu",
		"ddog-gov.com",
	],
};
