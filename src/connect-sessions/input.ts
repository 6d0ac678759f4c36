/**
 * The bodies of `POST /connect/sessions` and `POST /connect/sessions/reconnect` (docs/connect-sessions.md),
 * as today's `@nangohq/node` sends them. Objects are strict: an unknown field is a 400, so a
 * misspelt `allowed_integration` cannot silently allow every integration.
 */
import * as v from "valibot";
import { connectionIdSchema, providerConfigKeySchema } from "../input/identifiers";
import { isLoopbackHost } from "../loopback";

const text = (max: number) => v.pipe(v.string(), v.maxLength(max));
const MAX_ENTRIES = 64;
const bounded = <S extends v.GenericSchema<Record<string, unknown>>>(schema: S) =>
	v.pipe(
		schema,
		v.check((value) => Object.keys(value).length <= MAX_ENTRIES, `at most ${MAX_ENTRIES} entries`),
	);

const tagsSchema = bounded(v.record(v.pipe(text(64), v.nonEmpty()), text(255)));

const endUserSchema = v.strictObject({
	id: v.pipe(text(255), v.nonEmpty()),
	email: v.optional(v.pipe(text(255), v.email())),
	display_name: v.optional(text(255)),
	tags: v.optional(tagsSchema),
});

const organizationSchema = v.strictObject({
	id: v.pipe(text(255), v.nonEmpty()),
	display_name: v.optional(text(255)),
});

const defaultsSchema = bounded(
	v.record(
		providerConfigKeySchema,
		v.strictObject({
			// exactOptional: typed like IntegrationDefaults (no `undefined` values)
			connection_config: v.exactOptional(
				bounded(
					v.record(
						v.pipe(text(128), v.regex(/^[A-Za-z0-9_.-]+$/)),
						v.union([text(2048), v.number(), v.boolean()]),
					),
				),
			),
			authorization_params: v.exactOptional(bounded(v.record(v.pipe(text(128), v.nonEmpty()), text(2048)))),
			user_scopes: v.exactOptional(text(2048)),
		}),
	),
);

/** https, or http on a loopback host (a receiver on the developer's machine). */
const webhookUrlSchema = v.pipe(
	text(2048),
	v.url(),
	v.check((value) => {
		const url = new URL(value);
		return url.protocol === "https:" || (url.protocol === "http:" && isLoopbackHost(url.hostname));
	}, "webhook_url_override must be an https:// URL (http:// only for loopback hosts)"),
);

export const connectSessionBodySchema = v.pipe(
	v.strictObject({
		end_user: v.optional(endUserSchema),
		organization: v.optional(organizationSchema),
		allowed_integrations: v.optional(v.pipe(v.array(providerConfigKeySchema), v.maxLength(100))),
		integrations_config_defaults: v.optional(defaultsSchema),
		tags: v.optional(tagsSchema),
		webhook_url_override: v.optional(webhookUrlSchema),
	}),
	v.check(
		(body) => body.end_user !== undefined || body.tags !== undefined,
		"end_user is required (unless top-level tags are given)",
	),
);

export const reconnectSessionBodySchema = v.strictObject({
	connection_id: connectionIdSchema,
	integration_id: providerConfigKeySchema,
	end_user: v.optional(endUserSchema),
	organization: v.optional(organizationSchema),
	integrations_config_defaults: v.optional(defaultsSchema),
	tags: v.optional(tagsSchema),
	webhook_url_override: v.optional(webhookUrlSchema),
});

export type ConnectSessionBody = v.InferOutput<typeof connectSessionBodySchema>;
export type ReconnectSessionBody = v.InferOutput<typeof reconnectSessionBodySchema>;
