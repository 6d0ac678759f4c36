/**
 * The template a connection refreshes with: its config's catalog entry under the config's own
 * fields, as `resolveTemplate` merges them (read in the same query as the connection).
 */
import type { Connection } from "../db/connections";
import { getTemplate, resolveTemplate } from "../providers/catalog";
import type { ProviderTemplate } from "../providers/template";

type ConfigOf = Pick<Connection, "provider" | "template">;

export function connectionTemplate(connection: ConfigOf): ProviderTemplate | undefined {
	return resolveTemplate(connection.provider, connection.template);
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
