/// <reference lib="es2024.string" />
/**
 * The values routes take from paths and query strings (docs/api.md#identifiers): a provider config key, a
 * connection id and a boolean flag, as valibot schemas whose failure messages are error codes.
 */
import * as v from "valibot";

export const providerConfigKeySchema = v.pipe(
	v.string("missing_provider_config"),
	v.nonEmpty("missing_provider_config"),
	v.regex(/^[A-Za-z0-9_.-]{1,255}$/, "invalid_provider_config_key"),
);

/**
 * Any printable text (emails, user ids). Refused, because such a connection could be stored but
 * never read or deleted through `/connection/:id`: control characters; exactly "." or "..",
 * which URLs resolve away as path segments (even percent-encoded); and text that is not
 * well-formed UTF-16 (a lone surrogate), which no URL can carry: percent-encoding needs UTF-8,
 * so it is refused (`encodeURIComponent`) or becomes U+FFFD on the way.
 */
export const connectionIdSchema = v.pipe(
	v.string("missing_connection_id"),
	v.nonEmpty("missing_connection_id"),
	v.maxLength(255, "invalid_connection_id"),
	v.regex(/^[^\p{Cc}]+$/u, "invalid_connection_id"),
	v.check((id) => id.isWellFormed(), "invalid_connection_id"),
	v.check((id) => id !== "." && id !== "..", "invalid_connection_id"),
);

/** `force=true`, `force_refresh=1`…: absent means false; anything but true/false/1/0 is refused. */
export const flagSchema = v.pipe(
	v.optional(v.picklist(["true", "false", "1", "0"]), "false"),
	v.transform((value) => value === "true" || value === "1"),
);
