/**
 * The template a connection refreshes with: its config's catalog entry under the config's own
 * fields, as `resolveTemplate` merges them (read in the same query as the connection).
 */
import type { Connection } from "../db/connections";
import { getTemplate, resolveTemplate } from "../providers/catalog";
import type { ProviderTemplate } from "../providers/template";

type ConfigOf = Pick<Connection, "provider" | "template">;

// A connection served from memory is the same object on every read, its config's fields too:
// the merged template is checked once per config read, not on every proxied call.
const resolved = new WeakMap<object, { provider: string; template: ProviderTemplate | undefined }>();

export function connectionTemplate(connection: ConfigOf): ProviderTemplate | undefined {
	const fields = connection.template;
	if (!fields) return resolveTemplate(connection.provider, null);
	const known = resolved.get(fields);
	if (known && known.provider === connection.provider) return known.template;
	const template = resolveTemplate(connection.provider, fields);
	resolved.set(fields, { provider: connection.provider, template });
	return template;
}

/**
 * Only the expiration buffer, as `connectionTemplate` would merge it, without validating the
 * whole template: the read path needs nothing else on every request.
 */
export function expirationBuffer(
	connection: ConfigOf,
): Pick<ProviderTemplate, "token_expiration_buffer"> | undefined {
	const seconds =
		connection.template?.token_expiration_buffer ?? getTemplate(connection.provider)?.token_expiration_buffer;
	return seconds === undefined ? undefined : { token_expiration_buffer: seconds };
}
