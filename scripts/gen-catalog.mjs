#!/usr/bin/env node
/**
 * Generates the provider catalog from the facts tables `data/providers/providers.tsv` (OAuth flows)
 * and `data/providers/api-facts.tsv` (how each provider's API is called: the proxy block of every
 * template, and the API-key and Basic templates) plus the hand-written quirks in
 * `scripts/catalog-quirks.mjs`: `src/providers/catalog.json` (bundled into the worker) and
 * `docs/providers.md` (the templates, and the rows left out with the reason). The tables' columns
 * and the rules used here are described in `data/providers/README.md`.
 *
 * Usage: `node scripts/gen-catalog.mjs [--out <dir>] [--api-facts <file>] [path/to/providers.tsv]`
 * (`npm run catalog`).
 * `--out` writes both files under <dir> at their repository paths instead of over the committed
 * ones (test/node/catalog-generated.test.ts compares the two). The output depends only on the
 * tables and the quirks: the same input gives the same bytes.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { placeholderFacts, proxyFacts, readRows } from "./catalog-api-facts.mjs";
import { markdown, modeCounts } from "./catalog-markdown.mjs";
import { connectionConfig, fallbackDefaults } from "./catalog-placeholders.mjs";
import { ALIASES, MICROSOFT_TENANT, OVERRIDES, SKIP_KEYS, SKIP_NOTES } from "./catalog-quirks.mjs";

const root = path.resolve(import.meta.dirname, "..");
const { values: options, positionals } = parseArgs({
	options: { out: { type: "string" }, "api-facts": { type: "string" } },
	allowPositionals: true,
});
if (positionals.length > 1) {
	console.error(
		"usage: node scripts/gen-catalog.mjs [--out <dir>] [--api-facts <file>] [path/to/providers.tsv]",
	);
	process.exit(2);
}
const tsvPath = positionals[0]
	? path.resolve(positionals[0])
	: path.join(root, "data/providers/providers.tsv");
const factsPath = path.resolve(options["api-facts"] ?? path.join(root, "data/providers/api-facts.tsv"));
const outDir = options.out ? path.resolve(options.out) : root;
const JSON_PATH = "src/providers/catalog.json";
const MARKDOWN_PATH = "docs/providers.md";

// Client-authentication forms the engine implements: body and Basic in
// src/auth-modes/oauth2/token-request.ts, OAuth 1.0a HMAC-SHA1 in src/auth-modes/oauth1/. Rows with
// private_key_jwt, sdk, custom(...), client_assertion, a JWT client secret (Apple), Basic with the
// secret only (Stripe Apps), public clients (no secret) or OAuth 1.0a PLAINTEXT are skipped: a
// template that cannot complete a token request is worse than none.
const CLIENT_AUTH = { body: "body", basic: "basic", "oauth1-HMAC-SHA1": "oauth1" };

function skipReason(row) {
	const clientCredentials = row.auth_mode === "OAUTH2_CC";
	if (clientCredentials && !row.token_url) return "no token URL";
	if (!clientCredentials && (!row.authorization_url || !row.token_url))
		return "no authorization or token URL";
	if (SKIP_KEYS[row.key]) return SKIP_KEYS[row.key];
	if (!CLIENT_AUTH[row.client_auth] && !OVERRIDES[row.key]?.token_request_auth_method)
		return `client authentication \`${row.client_auth}\` is not implemented`;
	if (row.auth_mode !== "OAUTH1" && !["form", "json"].includes(row.body_format))
		return `token request body \`${row.body_format}\` is not implemented`;
	// The client-credentials engine sends grant_type=client_credentials; other machine grants
	// (password, SAP's openapi_2lo) need fields it does not have.
	const grant = pairs(row.token_params).grant_type;
	if (clientCredentials && grant !== undefined && grant !== "client_credentials")
		return `grant \`${grant}\` is not the client-credentials grant`;
	// Monday: Nango today drops response_type=code, but the early 0.9 template sent it: keep it.
	if (row.key === "monday") return undefined;
	return SKIP_NOTES.find(([pattern]) => pattern.test(row.refresh_notes))?.[1];
}

function toTemplate(row, facts) {
	const notes = row.refresh_notes.split(" | ");
	const authorizationParams = pairs(row.authorization_params);
	// The engine always sends response_type=code and grant_type; only other values are quirks.
	if (authorizationParams.response_type === "code") delete authorizationParams.response_type;
	// A fixed scope in the authorization parameters is a default scope (merged, not overwritten).
	const paramScopes = authorizationParams.scope ? [authorizationParams.scope] : [];
	delete authorizationParams.scope;
	const tokenParams = pairs(row.token_params);
	if (["authorization_code", "client_credentials"].includes(tokenParams.grant_type))
		delete tokenParams.grant_type;
	const refreshNote = notes.find((note) => /^refresh(_token)?_params: /.test(note));
	const refreshParams = pairs(refreshNote?.replace(/^[a-z_]+: /, "") ?? "");
	delete refreshParams.grant_type;
	const buffer = notes.find((note) => note.startsWith("token_expiration_buffer="));
	const template = {
		auth_mode: row.auth_mode,
		name: row.name,
		authorization_url: row.authorization_url,
		token_url: row.token_url,
		refresh_url: row.refresh_url || undefined,
		request_url: row.request_url || undefined,
		authorization_params: nonEmpty(authorizationParams),
		token_params: nonEmpty(tokenParams),
		refresh_params: nonEmpty(refreshParams),
		// "+" joins scopes that must reach the provider unencoded: a space, once form-encoded.
		scope_separator: row.scope_separator && row.scope_separator !== "+" ? row.scope_separator : undefined,
		default_scopes: nonEmpty([...list(row.default_scopes), ...paramScopes]),
		token_request_auth_method: CLIENT_AUTH[row.client_auth] === "basic" ? "basic" : undefined,
		body_format: row.auth_mode !== "OAUTH1" && row.body_format === "json" ? "json" : undefined,
		disable_pkce: row.auth_mode === "OAUTH2" && row.pkce === "unsupported" ? true : undefined,
		connection_config: undefined,
		redirect_uri_metadata: nonEmpty(list(row.callback_metadata)),
		token_response_metadata: nonEmpty(list(row.token_response_metadata)),
		token_expiration_buffer: buffer ? Number(buffer.split("=")[1]) : undefined,
	};
	if (row.auth_mode === "OAUTH2_CC") {
		// No user is sent anywhere: only the token endpoint and its parameters matter.
		for (const field of [
			"authorization_url",
			"authorization_params",
			"disable_pkce",
			"redirect_uri_metadata",
		])
			template[field] = undefined;
	}
	Object.assign(template, OVERRIDES[row.key]);
	const defaults = fallbackDefaults(template, notes);
	if (microsoftTenant(template)) defaults.tenant = MICROSOFT_TENANT.default;
	withProxy(row.key, template, facts);
	template.connection_config = nonEmpty(
		connectionConfig(row.key, template, defaults, facts ? placeholderFacts(facts) : {}),
	);
	return strip(template);
}

/** Adds the api-facts row's proxy and verification to an OAuth template, or notes why not. */
function withProxy(key, template, facts) {
	if (!facts) return;
	const found = proxyFacts(facts, template.auth_mode);
	if (found.reason) {
		noProxy.push([key, found.reason]);
		return;
	}
	template.proxy = found.proxy;
	template.verification = found.verification;
	for (const note of found.notes) notes.push([key, note]);
}

/** An API_KEY or BASIC template from its api-facts row, or the reason there is none. */
function apiTemplate(row) {
	const found = proxyFacts(row, row.auth_mode);
	if (found.reason) return { reason: found.reason };
	for (const note of found.notes) notes.push([row.key, note]);
	const template = {
		auth_mode: row.auth_mode,
		name: row.name,
		connection_config: undefined,
		docs: row.docs || undefined,
		proxy: found.proxy,
		verification: found.verification,
	};
	template.connection_config = nonEmpty(connectionConfig(row.key, template, {}, placeholderFacts(row)));
	return { template: strip(template) };
}

// Microsoft: the table hard-codes the `common` tenant; a single-tenant app needs its own tenant
// in the URL. `common` stays the default, so early microsoft-teams configs work unchanged.
// biome-ignore lint/suspicious/noTemplateCurlyInString: a template placeholder, not JS
const TENANT_PATH = "login.microsoftonline.com/${connectionConfig.tenant}/";
function microsoftTenant(template) {
	const common = "login.microsoftonline.com/common/";
	if (!template.authorization_url?.includes(common)) return false;
	for (const field of ["authorization_url", "token_url", "refresh_url"]) {
		template[field] = template[field]?.replace(common, TENANT_PATH);
	}
	return true;
}

/** `k=v;k=v` into an object (values may hold `=`). */
function pairs(text) {
	const entries = text
		.split(";")
		.filter(Boolean)
		.map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]);
	return Object.fromEntries(entries);
}

function list(text) {
	return text.split(",").filter(Boolean);
}

function nonEmpty(value) {
	const size = Array.isArray(value) ? value.length : Object.keys(value).length;
	return size > 0 ? value : undefined;
}

/** Drops undefined fields: the catalog is bundled, defaults stay implicit. */
function strip(template) {
	return Object.fromEntries(Object.entries(template).filter(([, value]) => value !== undefined));
}

const rows = readRows(tsvPath);
const factRows = readRows(factsPath);
const facts = new Map(factRows.map((row) => [row.key, row]));
const aliasOf = Object.fromEntries(Object.entries(ALIASES).map(([alias, key]) => [key, alias]));
const catalog = {};
const skipped = [];
const apiSkipped = [];
const noProxy = [];
const notes = [];
const apiKeys = new Set();
for (const row of rows) {
	const reason = skipReason(row);
	if (reason) skipped.push([row.key, reason]);
	else catalog[row.key] = toTemplate(row, facts.get(row.key) ?? facts.get(aliasOf[row.key]));
}
for (const row of factRows) {
	if (!["API_KEY", "BASIC"].includes(row.auth_mode) || catalog[row.key]) continue;
	const { template, reason } = apiTemplate(row);
	if (reason) apiSkipped.push([row.key, reason]);
	else {
		catalog[row.key] = template;
		apiKeys.add(row.key);
	}
}
for (const [alias, key] of Object.entries(ALIASES)) catalog[alias] = catalog[key];
const keys = Object.keys(catalog).sort();
for (const list of [skipped, apiSkipped, noProxy, notes])
	list.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

const json = `{\n${keys.map((key) => `${JSON.stringify(key)}:${JSON.stringify(catalog[key])}`).join(",\n")}\n}\n`;
for (const [file, text] of [
	[JSON_PATH, json],
	[MARKDOWN_PATH, markdown(catalog, { rows, factRows, skipped, apiSkipped, noProxy, notes, apiKeys })],
]) {
	mkdirSync(path.dirname(path.join(outDir, file)), { recursive: true });
	writeFileSync(path.join(outDir, file), text);
}
const withBase = keys.filter((key) => catalog[key].proxy?.base_url).length;
console.log(
	`${keys.length} templates (${modeCounts(catalog)}), ${withBase} with a proxy base URL; ` +
		`${skipped.length} providers.tsv rows and ${apiSkipped.length} API rows skipped -> ${path.join(outDir, JSON_PATH)}`,
);
