/**
 * The request the worker sends to a provider's API for a connection (docs/proxy.md): the base
 * URL from the template (placeholders filled from the connection config), the caller's path kept
 * under it, and the connection's credentials in the places its auth mode and template say. Used
 * by the proxy, by credential verification, and by the catalog's tests: one builder, so a
 * template is checked exactly as it is used.
 */
import { authMode } from "../auth-modes/registry";
import type { Credentials } from "../connections/credentials";
import type { Config } from "../db/configs";
import type { ProviderTemplate } from "../providers/template";
import { fillTemplate, type TemplateValues, templateValues } from "./template-values";

export interface UpstreamInput {
	template: ProviderTemplate;
	config: Pick<Config, "oauthClientId" | "oauthClientSecret">;
	credentials: Credentials;
	connectionConfig: Record<string, unknown>;
	method: string;
	/** the path under the base URL as the caller sent it (still percent-encoded) */
	path: string;
	/** the caller's query string, with its `?`, or "" */
	search: string;
	/** caller headers already chosen to be forwarded */
	headers?: HeadersInit;
	body?: BodyInit | null;
	/** a base URL the operator allowed in place of the template's */
	baseUrl?: string;
}

/** The integration's client when neither the mode nor the template uses it (API keys, most proxied calls). */
export const NO_CLIENT: Pick<Config, "oauthClientId" | "oauthClientSecret"> = {
	oauthClientId: "",
	oauthClientSecret: "",
};

export type UpstreamRefusal =
	| { ok: false; reason: "no_base_url" }
	| { ok: false; reason: "unresolved_base_url" }
	| { ok: false; reason: "path_escape" };

export async function upstreamRequest(
	input: UpstreamInput,
): Promise<{ ok: true; request: Request } | UpstreamRefusal> {
	const { template, config, credentials } = input;
	const values = valuesFor(credentials, config, input.connectionConfig);
	const base = input.baseUrl ?? template.proxy?.base_url;
	if (base === undefined) return { ok: false, reason: "no_base_url" };
	const baseUrl = input.baseUrl ?? resolveBaseUrl(base, values);
	if (baseUrl === undefined) return { ok: false, reason: "unresolved_base_url" };
	const url = upstreamUrl(baseUrl, input.path, input.search);
	if (!url) return { ok: false, reason: "path_escape" };
	const added: string[] = [];
	for (const [name, value] of Object.entries(template.proxy?.query ?? {})) {
		const filled = fillTemplate(value, values);
		if (filled !== undefined) added.push(`${encodeURIComponent(name)}=${encodeURIComponent(filled)}`);
	}
	if (added.length > 0) url.search = [url.search.slice(1), ...added].filter(Boolean).join("&");
	const hasBody = input.body !== undefined && input.body !== null;
	const request = new Request(url, {
		method: input.method,
		headers: input.headers ?? {},
		...(hasBody ? { body: input.body, duplex: "half" } : {}),
		redirect: "manual",
	} as RequestInit);
	const authorized = await authMode(credentials.type).authorize(request, {
		config: config as Config,
		credentials,
	});
	// The template's headers come after the mode's default, so an `authorization` entry replaces it.
	for (const [name, value] of Object.entries(template.proxy?.headers ?? {})) {
		const filled = fillTemplate(value, values);
		if (filled !== undefined) authorized.headers.set(name, filled);
	}
	return { ok: true, request: authorized };
}

/** What the templates of this connection may name. */
export function valuesFor(
	credentials: Credentials,
	config: Pick<Config, "oauthClientId" | "oauthClientSecret">,
	connectionConfig: Record<string, unknown>,
): TemplateValues {
	const named: Record<string, string> = { ...authMode(credentials.type).templateValues(credentials) };
	if (credentials.type === "OAUTH2") {
		// The integration's own client: a few APIs want it beside the token (Etsy's x-api-key).
		named.clientId = config.oauthClientId;
		named.clientSecret = config.oauthClientSecret;
	}
	return templateValues(named, credentials, connectionConfig);
}

/**
 * A base URL with its placeholders filled. `A || B`: the first alternative whose placeholders all
 * have values (Nango's fallback, e.g. a regional host or the default one).
 */
export function resolveBaseUrl(base: string, values: TemplateValues): string | undefined {
	for (const alternative of base.split(/\s*\|\|\s*/)) {
		const filled = fillTemplate(alternative.trim(), values);
		if (filled !== undefined) return filled;
	}
	return undefined;
}

/**
 * The caller's path joined under the base URL, or undefined when it would leave it: a segment
 * that is `.` or `..` once percent-decoded (URL parsers resolve `%2e%2e` too), a backslash (a
 * separator to URL parsers), or anything that ends on another origin or outside the base path.
 * Leading slashes are dropped, so `//evil.example/x` stays a path under the base, as in Nango.
 */
export function upstreamUrl(baseUrl: string, path: string, search: string): URL | undefined {
	let base: URL;
	try {
		base = new URL(baseUrl);
	} catch {
		return undefined;
	}
	if (base.protocol !== "https:" && base.protocol !== "http:") return undefined;
	const relative = path.replace(/^\/+/, "");
	if (relative.includes("\\") || /%5c/i.test(relative)) return undefined;
	for (const segment of relative.split("/")) {
		const decoded = fullyDecoded(segment);
		// A backslash under any number of encodings: some servers decode twice and split on it.
		if (decoded === undefined || decoded === "." || decoded === ".." || decoded.includes("\\"))
			return undefined;
	}
	const basePath = base.pathname.endsWith("/") ? base.pathname : `${base.pathname}/`;
	let url: URL;
	try {
		url = new URL(`${base.origin}${basePath}${relative}`);
	} catch {
		return undefined;
	}
	if (url.origin !== base.origin || !`${url.pathname}/`.startsWith(basePath)) return undefined;
	if (relative === "" && base.pathname !== "/" && !base.pathname.endsWith("/")) url.pathname = base.pathname;
	// The caller's query as it was written (no re-encoding), after any the base URL carries.
	url.search = [base.search.slice(1), search.replace(/^\?/, "")].filter(Boolean).join("&");
	return url;
}

/** A segment decoded until it no longer changes (`%252e` → `%2e` → `.`); undefined if malformed. */
function fullyDecoded(segment: string): string | undefined {
	let current = segment;
	for (let i = 0; i < 4; i++) {
		let next: string;
		try {
			next = decodeURIComponent(current);
		} catch {
			return undefined;
		}
		if (next === current) return current;
		current = next;
	}
	return current;
}
