/**
 * The body of `POST /connection` (docs/api.md#importing-a-connection): import credentials obtained elsewhere.
 */
import * as v from "valibot";
import { DEFAULT_LIFETIME_MS } from "../auth-modes/client-credentials";
import type { Credentials } from "../connections/credentials";
import { isRepresentable } from "../connections/expiry";
import type { ConnectionInput } from "../db/connections";
import { ApiError } from "../errors";
import { connectionIdSchema, providerConfigKeySchema } from "../input/identifiers";

const token = v.pipe(v.string(), v.nonEmpty(), v.maxLength(16384));
const jsonObject = v.record(v.string(), v.unknown());

/**
 * ISO text, or epoch seconds/milliseconds (a number under 10^11 is taken as seconds). A moment no
 * date can hold (`1e20`) is refused as invalid_body, not left to throw later.
 */
const expiresAtSchema = v.pipe(
	v.union([
		v.pipe(v.string(), v.isoTimestamp()),
		// 8.64e15 ms is the last instant a Date holds; past it toISOString() throws.
		v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(8.64e15)),
	]),
	v.transform((value) =>
		new Date(typeof value === "number" && value < 1e11 ? value * 1000 : value).getTime(),
	),
	v.check(isRepresentable),
	v.transform((ms) => new Date(ms).toISOString()),
);

const secretText = v.pipe(v.string(), v.maxLength(16384));

/** Today's Nango shape: the credentials as a connection read answers them (docs/api.md#importing-a-connection). */
const credentialsSchema = v.variant("type", [
	v.strictObject({
		type: v.literal("OAUTH2"),
		access_token: token,
		refresh_token: v.exactOptional(token),
		expires_at: v.exactOptional(expiresAtSchema),
		raw: v.exactOptional(jsonObject),
	}),
	v.strictObject({
		type: v.literal("OAUTH1"),
		oauth_token: token,
		oauth_token_secret: token,
		raw: v.exactOptional(jsonObject),
	}),
	v.strictObject({ type: v.literal("API_KEY"), apiKey: token }),
	v.pipe(
		v.strictObject({ type: v.literal("BASIC"), username: secretText, password: secretText }),
		v.check((value) => value.username !== "" || value.password !== "", "username or password is required"),
	),
	v.strictObject({
		type: v.literal("OAUTH2_CC"),
		token: v.exactOptional(token),
		expires_at: v.exactOptional(expiresAtSchema),
		client_id: token,
		client_secret: token,
		raw: v.exactOptional(jsonObject),
	}),
]);

/** The early top-level token fields, which `credentials` replaces. */
const EARLY_TOKEN_FIELDS = [
	"access_token",
	"refresh_token",
	"expires_at",
	"oauth_token",
	"oauth_token_secret",
	"raw",
] as const;

export const importBodySchema = v.pipe(
	v.strictObject({
		provider_config_key: providerConfigKeySchema,
		connection_id: connectionIdSchema,
		credentials: v.optional(credentialsSchema),
		access_token: v.optional(token),
		refresh_token: v.optional(token),
		expires_at: v.optional(expiresAtSchema),
		oauth_token: v.optional(token),
		oauth_token_secret: v.optional(token),
		connection_config: v.optional(jsonObject, {}),
		metadata: v.optional(jsonObject, {}),
		raw: v.optional(jsonObject),
	}),
	// Both would leave one silently ignored: an import that stores other credentials than the
	// caller meant is worse than a refusal.
	v.check(
		(body) =>
			body.credentials === undefined || EARLY_TOKEN_FIELDS.every((field) => body[field] === undefined),
		`credentials replaces the top-level token fields (${EARLY_TOKEN_FIELDS.join(", ")}): give one or the other`,
	),
);

export function toConnectionInput(
	body: v.InferOutput<typeof importBodySchema>,
	now = Date.now(),
): ConnectionInput {
	let credentials: Credentials;
	if (body.credentials) {
		credentials = fromCredentials(body.credentials, now);
	} else if (body.access_token) {
		credentials = {
			type: "OAUTH2",
			access_token: body.access_token,
			...(body.refresh_token ? { refresh_token: body.refresh_token } : {}),
			...(body.expires_at ? { expires_at: body.expires_at } : {}),
			raw: body.raw ?? rawFrom(body),
		};
	} else if (body.oauth_token && body.oauth_token_secret) {
		credentials = {
			type: "OAUTH1",
			oauth_token: body.oauth_token,
			oauth_token_secret: body.oauth_token_secret,
			raw: body.raw ?? { oauth_token: body.oauth_token, oauth_token_secret: body.oauth_token_secret },
		};
	} else {
		throw new ApiError("missing_access_token");
	}
	return {
		providerConfigKey: body.provider_config_key,
		connectionId: body.connection_id,
		credentials,
		connectionConfig: body.connection_config,
		metadata: body.metadata,
	};
}

/** Without a raw response, keep what was imported in the shape a token endpoint answers. */
function rawFrom(body: v.InferOutput<typeof importBodySchema>): Record<string, unknown> {
	return {
		access_token: body.access_token,
		...(body.refresh_token ? { refresh_token: body.refresh_token } : {}),
		...(body.expires_at ? { expires_at: body.expires_at } : {}),
	};
}

/** Today's `credentials` object as stored credentials. */
function fromCredentials(given: v.InferOutput<typeof credentialsSchema>, now: number): Credentials {
	switch (given.type) {
		case "OAUTH2":
			return {
				type: "OAUTH2",
				access_token: given.access_token,
				...(given.refresh_token ? { refresh_token: given.refresh_token } : {}),
				...(given.expires_at ? { expires_at: given.expires_at } : {}),
				raw: given.raw ?? { access_token: given.access_token },
			};
		case "OAUTH1":
			return {
				type: "OAUTH1",
				oauth_token: given.oauth_token,
				oauth_token_secret: given.oauth_token_secret,
				raw: given.raw ?? {},
			};
		case "API_KEY":
			return { type: "API_KEY", apiKey: given.apiKey };
		case "BASIC":
			return { type: "BASIC", username: given.username, password: given.password };
		case "OAUTH2_CC":
			return {
				type: "OAUTH2_CC",
				// Without a token the first read fetches one: it is taken as already expired.
				token: given.token ?? "",
				expires_at: given.expires_at ?? new Date(given.token ? now + DEFAULT_LIFETIME_MS : 0).toISOString(),
				client_id: given.client_id,
				client_secret: given.client_secret,
				raw: given.raw ?? {},
			};
	}
}
