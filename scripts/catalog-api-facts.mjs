/**
 * Reads `data/providers/api-facts.tsv` for gen-catalog.mjs: each row's proxy block (base URL,
 * headers, query, retry headers), its verification request and its placeholders, checked against
 * the template language the worker speaks (src/proxy/template-values.ts). A row whose credentials
 * would need anything else (request signing, clocks, a request body) yields a reason instead.
 */
import { readFileSync } from "node:fs";

/** The rows of a TSV file as objects keyed by the header's column names. */
export function readRows(file) {
	const [header, ...lines] = readFileSync(file, "utf8").split("\n").filter(Boolean);
	const columns = header.split("\t");
	return lines.map((line) => Object.fromEntries(line.split("\t").map((cell, i) => [columns[i], cell])));
}

// The names each auth mode's connection offers to templates (`templateValues` of its module in
// src/auth-modes/) and the text fields of its credentials (`${credentials.NAME}`).
const NAMED = {
	OAUTH2: ["accessToken", "clientId", "clientSecret"],
	OAUTH1: [],
	OAUTH2_CC: ["accessToken"],
	API_KEY: ["apiKey"],
	BASIC: ["username", "password"],
};
const CREDENTIAL_FIELDS = {
	OAUTH2: ["access_token", "refresh_token", "expires_at"],
	OAUTH1: ["oauth_token", "oauth_token_secret"],
	OAUTH2_CC: ["token", "client_id", "client_secret", "expires_at"],
	API_KEY: ["apiKey"],
	BASIC: ["username", "password"],
};
// What carries a credential: a header or parameter naming one cannot be dropped, only refused.
const SECRET = /\$\{(apiKey|accessToken|username|password|clientId|clientSecret|credentials\.)/;

/**
 * `k=v;k=v` with the table's escapes: `\;` a semicolon, `\\` a backslash, `\n` `\t` `\r` control
 * characters. Entries are cut at each unescaped `;`, each entry at its first `=`.
 */
export function escapedPairs(text) {
	const entries = [];
	let current = "";
	for (let i = 0; i < text.length; i++) {
		const char = text[i];
		if (char === "\\" && i + 1 < text.length) {
			const next = text[++i];
			current += { n: "\n", t: "\t", r: "\r" }[next] ?? next;
		} else if (char === ";") {
			entries.push(current);
			current = "";
		} else current += char;
	}
	entries.push(current);
	const result = {};
	for (const entry of entries.filter(Boolean)) {
		const at = entry.indexOf("=");
		result[entry.slice(0, at)] = entry.slice(at + 1);
	}
	return result;
}

/** Each `${…}` expression of a template, outermost only, or undefined when braces do not close. */
function expressions(template) {
	const found = [];
	for (let i = template.indexOf("${"); i !== -1; i = template.indexOf("${", i)) {
		let depth = 1;
		let j = i + 2;
		for (; j < template.length && depth > 0; j++) {
			if (template.startsWith("${", j)) {
				depth += 1;
				j += 1;
			} else if (template[j] === "}") depth -= 1;
		}
		if (depth > 0) return undefined;
		found.push(template.slice(i + 2, j - 1));
		i = j;
	}
	return found;
}

/** The first part of `template` the worker's template language cannot fill for `mode`, or undefined. */
export function unsupported(template, mode) {
	const found = expressions(template);
	if (!found) return "an unclosed `${`";
	for (const inner of found) {
		const call = /^base64\(([\s\S]*)\)$/.exec(inner);
		if (call) {
			const nested = unsupported(call[1], mode);
			if (nested) return nested;
			continue;
		}
		const config = /^connectionConfig\.([A-Za-z0-9_-]+)$/.exec(inner);
		if (config) continue;
		const field = /^credentials\.([A-Za-z0-9_-]+)$/.exec(inner);
		if (field && CREDENTIAL_FIELDS[mode].includes(field[1])) continue;
		if (NAMED[mode].includes(inner)) continue;
		if (field) return `\`\${${inner}}\`: ${mode} credentials have no ${field[1]}`;
		if (/^connectionConfig\./.test(inner)) return `\`\${${inner}}\` (a nested connection config value)`;
		return `\`\${${inner.length > 24 ? `${inner.slice(0, 24)}…` : inner}}\``;
	}
	return undefined;
}

/**
 * The proxy block and verification of `row` for a template of `mode`: `{ proxy, verification,
 * notes }`, or `{ reason }` when the row's credentials or base URL need something the language
 * lacks. Headers and parameters outside the language that carry no credential are dropped and
 * named in `notes`.
 */
export function proxyFacts(row, mode) {
	if (!row.proxy_base_url) return { reason: "no proxy base URL" };
	const baseProblem = unsupported(row.proxy_base_url, mode);
	if (baseProblem) return { reason: `base URL uses ${baseProblem}` };
	const notes = [];
	const sections = {};
	for (const [section, cell] of [
		["headers", row.proxy_headers],
		["query", row.proxy_query],
	]) {
		const kept = {};
		for (const [name, value] of Object.entries(escapedPairs(cell))) {
			const problem = unsupported(value, mode);
			if (!problem) kept[name] = value;
			else if (SECRET.test(value) || name.toLowerCase() === "authorization")
				return { reason: `${section === "headers" ? "header" : "query parameter"} ${name} uses ${problem}` };
			else
				notes.push(
					`${section === "headers" ? "header" : "query parameter"} ${name} dropped (uses ${problem})`,
				);
		}
		if (Object.keys(kept).length > 0) sections[section] = kept;
	}
	const placed = JSON.stringify([row.proxy_base_url, sections]);
	if (mode === "API_KEY" && !/\$\{(apiKey|credentials\.apiKey)\}/.test(placed))
		return {
			reason:
				"the table does not say where the API key goes (Nango sends it in a request body or not at all)",
		};
	const retry = retryHeaders(row.retry_headers);
	const proxy = { base_url: row.proxy_base_url, ...sections, ...(retry ? { retry } : {}) };
	const verification = verificationOf(row.verification, mode, notes);
	return { proxy, verification, notes };
}

/** `after=h` / `at=h` (alternatives joined with `,`: the first is kept, as one header name fits the field). */
function retryHeaders(cell) {
	const found = {};
	for (const [kind, names] of Object.entries(escapedPairs(cell))) {
		if (kind === "after" || kind === "at") found[kind] = names.split(",")[0];
	}
	return Object.keys(found).length > 0 ? found : undefined;
}

/** `METHOD path|METHOD path` → `{method, endpoints}`; only relative paths under the base URL with one method. */
function verificationOf(cell, mode, notes) {
	if (!cell) return undefined;
	const calls = cell.split("|").map((call) => call.trim().split(" "));
	const methods = new Set(calls.map(([method]) => method));
	const endpoints = calls.map(([, endpoint]) => endpoint ?? "");
	const [method] = methods;
	let problem;
	if (methods.size !== 1 || !["GET", "POST"].includes(method)) problem = `methods ${[...methods].join(", ")}`;
	else if (endpoints.some((endpoint) => !endpoint.startsWith("/"))) problem = "an absolute URL";
	else problem = endpoints.map((endpoint) => unsupported(endpoint, mode)).find(Boolean);
	if (problem) {
		notes.push(`verification left out (${problem})`);
		return undefined;
	}
	return { method, endpoints: endpoints.slice(0, 4) };
}

/**
 * The table's placeholder facts by name: `{ kind, pattern }` for each `${connectionConfig.NAME}`
 * of the row (other variables are written in full and skipped). A pattern not anchored at both
 * ends is anchored, so it constrains the whole value.
 */
export function placeholderFacts(row) {
	const facts = {};
	for (const spec of row.placeholders.split(";").filter(Boolean)) {
		const first = spec.indexOf(":");
		const second = spec.indexOf(":", first + 1);
		const name = spec.slice(0, first);
		if (name.startsWith("${")) continue;
		const kind = second === -1 ? spec.slice(first + 1) : spec.slice(first + 1, second);
		let pattern = second === -1 ? undefined : spec.slice(second + 1);
		if (pattern && !(pattern.startsWith("^") && pattern.endsWith("$")))
			pattern = `^(?:${pattern.replace(/^\^/, "").replace(/\$$/, "")})$`;
		facts[name] = { kind, pattern };
	}
	return facts;
}
