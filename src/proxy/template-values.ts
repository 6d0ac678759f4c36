/**
 * The small template language of a template's `proxy.headers`, `proxy.query` and base URL
 * (docs/proxy.md#templates), as today's Nango writes them:
 * - `${apiKey}`, `${accessToken}`, `${username}`, `${password}`: the connection's credentials
 *   (each auth mode says which it has), `${clientId}` / `${clientSecret}` for OAuth 2;
 * - `${credentials.NAME}`: any text field of the credentials;
 * - `${connectionConfig.NAME}`: the connection's config;
 * - `${base64(…)}`: the base64 of the text inside, itself a template.
 * Anything else (request signing, clocks) is not part of the language: a template naming it does
 * not resolve, and the catalog carries no such template.
 *
 * Hand-written: the language is Nango's own; no library speaks it.
 */

/** The values a template may name, by their full name (`apiKey`, `credentials.username`, `connectionConfig.region`). */
export type TemplateValues = ReadonlyMap<string, string>;

export function templateValues(
	named: Record<string, string>,
	credentials: object,
	connectionConfig: Record<string, unknown>,
): TemplateValues {
	const values = new Map<string, string>();
	for (const [name, value] of Object.entries(named)) values.set(name, value);
	for (const [name, value] of Object.entries(credentials)) {
		if (typeof value === "string") values.set(`credentials.${name}`, value);
	}
	for (const [name, value] of Object.entries(connectionConfig)) {
		if (typeof value === "string" && value !== "") values.set(`connectionConfig.${name}`, value);
		else if (typeof value === "number" || typeof value === "boolean")
			values.set(`connectionConfig.${name}`, String(value));
	}
	return values;
}

const NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * The template filled in; undefined when any name in it has no value (the caller then leaves the
 * header or parameter out, as Nango does) or it uses something outside the language.
 */
export function fillTemplate(template: string, values: TemplateValues): string | undefined {
	let out = "";
	let i = 0;
	while (i < template.length) {
		const start = template.indexOf("${", i);
		if (start === -1) return out + template.slice(i);
		out += template.slice(i, start);
		const end = closingBrace(template, start + 2);
		if (end === -1) return undefined;
		const inner = template.slice(start + 2, end);
		const value = expression(inner, values);
		if (value === undefined) return undefined;
		out += value;
		i = end + 1;
	}
	return out;
}

/** The names a template uses (for the catalog's checks), functions unwrapped. */
export function templateNames(template: string): string[] {
	const names: string[] = [];
	for (const match of template.matchAll(/\$\{([A-Za-z0-9_.-]+)\}/g)) names.push(match[1] ?? "");
	return names;
}

function expression(inner: string, values: TemplateValues): string | undefined {
	if (NAME.test(inner)) return values.get(inner);
	const call = /^base64\(([\s\S]*)\)$/.exec(inner);
	if (!call) return undefined;
	const text = fillTemplate(call[1] ?? "", values);
	if (text === undefined) return undefined;
	const bytes = new TextEncoder().encode(text);
	let binary = "";
	for (const byte of bytes) binary += String.fromCharCode(byte);
	return btoa(binary);
}

/** The `}` that closes the `${` opened before `from`, skipping nested `${…}`. */
function closingBrace(text: string, from: number): number {
	let depth = 1;
	for (let i = from; i < text.length; i++) {
		if (text.startsWith("${", i)) {
			depth += 1;
			i += 1;
		} else if (text[i] === "}") {
			depth -= 1;
			if (depth === 0) return i;
		}
	}
	return -1;
}
