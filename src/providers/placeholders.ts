/**
 * Per-connection placeholders in template URLs and parameters (docs/flows.md#connection-config-and-placeholders):
 * `${connectionConfig.subdomain}`, and the early spelling `${connectionConfig.params.subdomain}`.
 */
import type { ProviderTemplate } from "./template";

/** One placeholder; group 1 is its name (global: use with matchAll / replaceAll). */
export const PLACEHOLDER = /\$\{connectionConfig\.(?:params\.)?([A-Za-z0-9_.-]+)\}/g;

/** A placeholder has no value, or a value its template forbids; the flow answers `url_param_err`. */
export class UrlParamError extends Error {
	readonly missing: string[];
	readonly invalid: string[];

	constructor(missing: string[], invalid: string[] = []) {
		const parts = [
			missing.length > 0 ? `missing connection config: ${missing.join(", ")}` : "",
			invalid.length > 0 ? `invalid connection config: ${invalid.join(", ")}` : "",
		];
		super(parts.filter(Boolean).join("; "));
		this.name = "UrlParamError";
		this.missing = missing;
		this.invalid = invalid;
	}
}

/** The placeholder names a text uses, in order, without repeats. */
export function placeholderNames(text: string): string[] {
	return [...new Set(Array.from(text.matchAll(PLACEHOLDER), (match) => match[1] ?? ""))];
}

/** Replaces every placeholder; throws `UrlParamError` naming all that have no (non-empty) value. */
export function fillPlaceholders(text: string, connectionConfig: Record<string, string>): string {
	const missing = placeholderNames(text).filter((name) => !configValue(connectionConfig, name));
	if (missing.length > 0) throw new UrlParamError(missing);
	return text.replaceAll(PLACEHOLDER, (_, name: string) => configValue(connectionConfig, name) ?? "");
}

/**
 * The connection config with the template's defaults applied, every declared value checked
 * against its pattern. The end user chooses these values (`params[...]` on /oauth/connect) and
 * some land in the host the client secret is sent to: a pattern keeps each in its URL component.
 */
export function resolveConnectionConfig(
	template: ProviderTemplate,
	connectionConfig: Record<string, string>,
): Record<string, string> {
	const resolved = { ...connectionConfig };
	const invalid: string[] = [];
	for (const [name, field] of Object.entries(template.connection_config ?? {})) {
		const value = configValue(connectionConfig, name) ?? field.default;
		if (value === undefined) continue; // reported as missing where a placeholder needs it
		if (field.pattern !== undefined && !new RegExp(field.pattern).test(value)) invalid.push(name);
		resolved[name] = value;
	}
	if (invalid.length > 0) throw new UrlParamError([], invalid);
	return resolved;
}

// Own properties only: a value named `constructor` must not come from Object.prototype.
function configValue(connectionConfig: Record<string, string>, name: string): string | undefined {
	const value = Object.hasOwn(connectionConfig, name) ? connectionConfig[name] : undefined;
	return value === "" ? undefined : value;
}

/**
 * A connection config as placeholder values: placeholders take text, so numbers and booleans
 * (possible in imported connections) are spelled out and nested objects are left out.
 */
export function placeholderValues(connectionConfig: Record<string, unknown>): Record<string, string> {
	const values: Record<string, string> = {};
	for (const [name, value] of Object.entries(connectionConfig)) {
		if (typeof value === "string") values[name] = value;
		else if (typeof value === "number" || typeof value === "boolean") values[name] = String(value);
	}
	return values;
}
