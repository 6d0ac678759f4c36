// Connection-config values for catalog templates, as a connecting user would give them: each
// declared placeholder gets a value its pattern accepts, shaped for where it sits (a whole URL,
// a host, a label, a path segment).
import type { ProviderTemplate } from "../../../src/providers/template";

export const PLACEHOLDER_TEXT = /\$\{connectionConfig\.(?:params\.)?([A-Za-z0-9_.-]+)\}/g;

// Tried in order after the first value of a listed pattern; the later ones satisfy the few table
// patterns that name a provider's own domain or an id of fixed shape.
const CANDIDATES = [
	"acme.example.com",
	"acme",
	"https://acme.example.com",
	"123",
	"api",
	"acme.myconnectsecure.com",
	"acme.chargify.com",
	"acme.example.com/scim/v2",
	"https://acme.example.com/t/scim/v2",
	"pub_0a1b",
];

/** `^[class]{n}$`: n characters of the class (ids of fixed length). */
function fixedLength(pattern: string): string | undefined {
	const found = /^\^\[([^\]]+)\]\{(\d+)\}\$$/.exec(pattern) ?? /^\^\\d\{(\d+)\}\$$/.exec(pattern);
	if (!found) return undefined;
	if (found.length === 2) return "7".repeat(Number(found[1]));
	const first = (found[1] ?? "").startsWith("\\d") ? "7" : (found[1] ?? "a").charAt(0);
	return first.repeat(Number(found[2]));
}

/** The base-URL alternatives that open with this placeholder: its value carries the scheme. */
function holdsWholeUrl(template: ProviderTemplate, name: string): boolean {
	const alternatives = template.proxy?.base_url?.split(/\s*\|\|\s*/) ?? [];
	return alternatives.some((alternative) => alternative.startsWith(`\${connectionConfig.${name}}`));
}

/** A value for each declared placeholder that its pattern accepts (the first listed value, for enumerations). */
export function sampleConfig(template: ProviderTemplate): Record<string, string> {
	const config: Record<string, string> = {};
	for (const [name, field] of Object.entries(template.connection_config ?? {})) {
		const listed = field.pattern?.match(/^\^\(([^|)]+)/)?.[1]?.replaceAll("\\.", ".");
		const shaped = holdsWholeUrl(template, name) ? ["https://acme.example.com"] : [];
		const candidates = [
			...shaped,
			listed,
			field.pattern ? fixedLength(field.pattern) : undefined,
			...CANDIDATES,
			field.default,
		].filter((value) => value !== undefined);
		const value = candidates.find((candidate) => !field.pattern || new RegExp(field.pattern).test(candidate));
		if (value === undefined) throw new Error(`no sample for ${name}`);
		config[name] = value;
	}
	return config;
}

/** `text` with each connection-config placeholder replaced by its value ("" when it has none). */
export function fillConfig(text: string, config: Record<string, string>): string {
	return text.replaceAll(PLACEHOLDER_TEXT, (_, name: string) => config[name] ?? "");
}
