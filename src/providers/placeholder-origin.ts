/**
 * Who may supply each placeholder of a template (docs/flows.md#who-chooses-a-host): a value that
 * can decide which host receives the client secret, a code or a token comes only from the app's
 * backend (a connect session's `integrations_config_defaults`, or an import); the end user's
 * browser (`params[...]` on /oauth/connect) may send only values that cannot leave the
 * provider's domain. Decided from where the placeholder sits in the template's URLs, so custom
 * configs get the same rule as the catalog.
 */
import { PLACEHOLDER, placeholderNames } from "./placeholders";
import type { ProviderTemplate } from "./template";

/**
 * - `host`: all or part of a host with no fixed domain after it (`${hostname}`,
 *   `accounts.zoho.${extension}` without a list of values): backend only;
 * - `label`: one DNS label under a fixed domain (`${subdomain}.zendesk.com`): the browser may
 *   send a single label;
 * - `choice`: a host part whose pattern lists every allowed value (`^(com|eu|com\.au)$`);
 * - `path`: in a URL's path or query: the host is fixed, the value must match the declared pattern;
 * - `param`: only in request parameters, never in a URL.
 */
export type PlaceholderKind = "host" | "label" | "choice" | "path" | "param";

const URL_FIELDS = ["authorization_url", "token_url", "refresh_url", "request_url"] as const;
const PARAM_FIELDS = ["authorization_params", "token_params", "refresh_params"] as const;
const RISK: PlaceholderKind[] = ["param", "path", "label", "choice", "host"];
// What follows a label placeholder: a fixed domain of at least two labels, and maybe a port.
const FIXED_DOMAIN = /\.[A-Za-z0-9-]+\.[A-Za-z0-9-]+(:[0-9]{1,5})?$/;
// A pattern that is a plain list of literal values, as the catalog writes for domain slots.
const LITERAL_CHOICES =
	/^\^\((?:[A-Za-z0-9-]+(?:\\\.[A-Za-z0-9-]+)*)(?:\|[A-Za-z0-9-]+(?:\\\.[A-Za-z0-9-]+)*)*\)\$$/;
const LABEL_VALUE = /^[A-Za-z0-9_-]{1,63}$/;

/** Each placeholder the template uses, with the riskiest place it appears in. */
export function placeholderKinds(template: ProviderTemplate): Map<string, PlaceholderKind> {
	const kinds = new Map<string, PlaceholderKind>();
	const note = (name: string, kind: PlaceholderKind) => {
		const known = kinds.get(name);
		if (!known || RISK.indexOf(kind) > RISK.indexOf(known)) kinds.set(name, kind);
	};
	for (const field of PARAM_FIELDS) {
		for (const value of Object.values(template[field] ?? {})) {
			for (const name of placeholderNames(value)) note(name, "param");
		}
	}
	for (const url of templateUrls(template)) {
		const authorityEnd = authorityEndOf(url);
		for (const match of url.matchAll(PLACEHOLDER)) {
			const name = match[1] ?? "";
			const end = match.index + match[0].length;
			if (match.index >= authorityEnd) note(name, "path");
			else note(name, hostKind(template, name, url.slice(end, authorityEnd)));
		}
	}
	return kinds;
}

/**
 * Every URL a template sends something to: its OAuth endpoints, and each alternative of the
 * proxy's base URL (`A || B`), which receives the connection's credentials on every proxied call.
 */
function templateUrls(template: ProviderTemplate): string[] {
	const urls = URL_FIELDS.flatMap((field) => template[field] ?? []);
	const base = template.proxy?.base_url;
	if (base !== undefined) urls.push(...base.split(/\s*\|\|\s*/));
	return urls;
}

/**
 * Why the browser may not send `name = value`, or undefined when it may. Values for names no
 * placeholder uses are plain connection config and always allowed.
 */
export function browserRefusal(
	template: ProviderTemplate,
	kinds: Map<string, PlaceholderKind>,
	name: string,
	value: string,
): string | undefined {
	const kind = kinds.get(name);
	switch (kind) {
		case undefined:
		case "param":
		case "choice":
			return undefined;
		case "label":
			return LABEL_VALUE.test(value) ? undefined : `${name} must be a single DNS label`;
		case "path":
			return template.connection_config?.[name]?.pattern === undefined
				? `${name} has no declared pattern, so only the app's backend may set it`
				: undefined;
		case "host":
			return `${name} chooses a host, so only the app's backend may set it (connect session integrations_config_defaults)`;
	}
}

/**
 * The placeholders the template's URLs use that declare no pattern: a custom config must
 * declare one for each (docs/api.md#config-body), so every value is checked before it is sent.
 */
export function unpatternedPlaceholders(template: ProviderTemplate): string[] {
	return [...placeholderKinds(template)]
		.filter(([name, kind]) => kind !== "param" && template.connection_config?.[name]?.pattern === undefined)
		.map(([name]) => name);
}

/** Where a URL's authority ends; a URL that does not start with a literal scheme is all host up to its first '/'. */
function authorityEndOf(url: string): number {
	const scheme = /^https?:\/\//.exec(url);
	const start = scheme ? scheme[0].length : 0;
	const end = url.slice(start).search(/[/?#]/);
	return end === -1 ? url.length : start + end;
}

function hostKind(template: ProviderTemplate, name: string, rest: string): PlaceholderKind {
	if (!rest.includes("${") && FIXED_DOMAIN.test(rest)) return "label";
	const pattern = template.connection_config?.[name]?.pattern;
	return pattern !== undefined && LITERAL_CHOICES.test(pattern) ? "choice" : "host";
}
