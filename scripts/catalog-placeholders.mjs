/**
 * The `connection_config` of a generated template: one field per placeholder its URLs and
 * parameters use, with a description, a pattern that keeps the value inside its URL component,
 * and a default where the facts table names a fallback URL. Used by gen-catalog.mjs.
 */
import { DESCRIPTIONS, MICROSOFT_TENANT, TLDS } from "./catalog-quirks.mjs";

export const PLACEHOLDER = /\$\{connectionConfig\.([A-Za-z0-9_.-]+)\}/g;

// Placeholder values land in URLs the client secret is sent to, and the connecting end user
// chooses them (`params[...]` on /oauth/connect): each gets a pattern that keeps it inside its
// URL component. A subdomain label cannot leave the provider's domain; a top-level-domain slot
// could (`accounts.zoho.${extension}` with evil.com), so those get the provider's real values.
// A placeholder that is the whole host (self-hosted GitLab, Salesforce My Domain) is taken only
// from the app's backend, never from the browser (docs/flows.md#who-chooses-a-host); its pattern
// only keeps the value a plain host.
const PATTERNS = {
	// A whole base URL from the connection (Salesforce's instance_url): an https origin and path.
	url: "^https://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~-]+)*/?$",
	label: "^[a-z0-9-]+$",
	host: "^[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~-]+)*$",
	segment: "^[A-Za-z0-9._~-]+$",
};
const STRICTNESS = ["label", "segment", "host"];
const OAUTH_URLS = ["authorization_url", "token_url", "refresh_url", "request_url"];
const OAUTH_PARAMS = ["authorization_params", "token_params", "refresh_params"];

/**
 * `facts`: the api-facts table's placeholders of the provider (`{ NAME: { kind, pattern } }`).
 * A placeholder its OAuth URLs or parameters use gets the pattern its position there gives, as
 * before the proxy existed; one used only by the proxy (base URL, headers, query, verification)
 * gets the table's pattern, or else the one its position in the base URL gives (a whole URL, scheme
 * included, or a plain host). Either way the worker takes a value that chooses a host only from the
 * app's backend (src/providers/placeholder-origin.ts); the pattern keeps it a plain URL or host.
 */
export function connectionConfig(key, template, defaults, facts = {}) {
	const fields = {};
	const urls = [
		...OAUTH_URLS.map((field) => [template[field], true]),
		...(template.proxy?.base_url?.split(/\s*\|\|\s*/) ?? []).map((url) => [url, false]),
	];
	for (const [url, oauth] of urls) {
		if (!url) continue;
		const schemeEnd = /^https?:\/\//.exec(url)?.[0].length ?? 0;
		const pathStart = url.slice(schemeEnd).search(/[/?#]/);
		const authorityEnd = pathStart === -1 ? url.length : pathStart + schemeEnd;
		const authority = url.slice(schemeEnd, authorityEnd);
		for (const match of url.matchAll(PLACEHOLDER)) {
			const name = match[1];
			const inHost = match.index < authorityEnd;
			let kind = "segment";
			if (inHost && schemeEnd === 0 && match.index === 0) kind = "url";
			else if (inHost && authority === match[0]) kind = "host";
			else if (inHost && /^[.-]/.test(url.slice(match.index + match[0].length))) kind = "label";
			else if (inHost) kind = "tld";
			const example = url.replace(PLACEHOLDER, "{$1}").split("?")[0];
			fields[name] ??= { example, kinds: [], proxyKinds: [], oauth: false };
			fields[name][oauth ? "kinds" : "proxyKinds"].push(kind);
			fields[name].oauth ||= oauth;
		}
	}
	const params = [
		...OAUTH_PARAMS.flatMap((field) =>
			Object.entries(template[field] ?? {}).map((entry) => [...entry, true]),
		),
		...["headers", "query"].flatMap((field) =>
			Object.entries(template.proxy?.[field] ?? {}).map((entry) => [...entry, false]),
		),
		...(template.verification?.endpoints ?? []).map((endpoint) => ["verification", endpoint, false]),
	];
	for (const [param, value, oauth] of params) {
		for (const match of value.matchAll(PLACEHOLDER)) {
			const example = `${param}=${value.replace(PLACEHOLDER, "{$1}")}`;
			fields[match[1]] ??= { example, kinds: [], proxyKinds: [], oauth: false };
			fields[match[1]].oauth ||= oauth;
		}
	}
	const result = {};
	for (const [name, { example, kinds, proxyKinds, oauth }] of Object.entries(fields)) {
		const entry = { description: DESCRIPTIONS[`${key}.${name}`] };
		if (name === "tenant" && defaults.tenant) entry.description = MICROSOFT_TENANT.description;
		const values = TLDS[`${key}.${name}`] ?? TLDS[name];
		if (kinds.includes("tld") && !values) {
			// The domain itself, with no list of its values (ConnectWise RMM's token host): a plain
			// host, which the worker takes only from the app's backend.
			entry.pattern = PATTERNS.host;
		} else if (kinds.includes("tld") || (proxyKinds.includes("tld") && values)) {
			entry.description ??= `${human(name)} in ${example}: ${values.join(", ")}`;
			entry.pattern = `^(${values.map((value) => value.replaceAll(".", "\\.")).join("|")})$`;
		} else if (kinds.length > 0) {
			entry.pattern = PATTERNS[STRICTNESS.find((kind) => kinds.includes(kind))];
		} else if (proxyKinds.length > 0 || !oauth) {
			// A domain part with no known values (`${customer}.${domain}`) is kept a plain host.
			const strictest = ["url", ...STRICTNESS].find((kind) => proxyKinds.includes(kind));
			const position = proxyKinds.includes("tld") && strictest !== "label" ? "host" : strictest;
			const pattern = facts[name]?.pattern ?? PATTERNS[position];
			if (pattern !== undefined) entry.pattern = pattern;
		}
		entry.description ??= `${human(name)} in ${example}`;
		const fallback = defaults[name];
		if (fallback !== undefined) {
			if (entry.pattern && !new RegExp(entry.pattern).test(fallback))
				throw new Error(`${key}: default ${name}=${fallback} fails ${entry.pattern}`);
			entry.default = fallback;
		}
		result[name] = entry;
	}
	return result;
}

// "authorization_url falls back to https://login.salesforce.com/... when placeholders are unset":
// match the template URL against the fallback to learn each placeholder's default value.
export function fallbackDefaults(template, notes) {
	const defaults = {};
	for (const note of notes) {
		const found = /^(authorization_url|token_url) falls back to (\S+) when placeholders are unset$/.exec(
			note,
		);
		if (!found || found[2].includes("${") || !template[found[1]]) continue;
		const names = [...template[found[1]].matchAll(PLACEHOLDER)].map((match) => match[1]);
		const source = template[found[1]]
			.split(PLACEHOLDER)
			.map((part, i) => (i % 2 ? "([^/]+?)" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
			.join("");
		const values = new RegExp(`^${source}$`).exec(found[2]);
		names.forEach((name, i) => {
			if (values?.[i + 1]) defaults[name] = values[i + 1];
		});
	}
	return defaults;
}

function human(name) {
	const words = name
		.replace(/([a-z])([A-Z])/g, "$1 $2")
		.replaceAll(/[_-]/g, " ")
		.toLowerCase();
	return words.charAt(0).toUpperCase() + words.slice(1);
}
