/**
 * The backend SDK's wire types checked against the worker's own, at compile time: the SDK stays
 * dependency-free (its types are written out in sdk/backend/src/types.ts and errors.ts), and this
 * file stops `npm run check` when a field, a credentials shape or an error code is added, removed
 * or retyped on one side only. It has no runtime part: `tsc` is the test.
 */
import type * as v from "valibot";
import type { SdkErrorCode, WorkerErrorCode } from "../../sdk/backend/src/errors";
import type * as sdk from "../../sdk/backend/src/types";
import type { connectSessionBodySchema, reconnectSessionBodySchema } from "../../src/connect-sessions/input";
import type { EndUser } from "../../src/connect-sessions/session";
import type { Credentials, CredentialsOf } from "../../src/connections/credentials";
import type { connectionListItem, connectionObject } from "../../src/connections/view";
import type { ErrorCode } from "../../src/errors";
import type { templateFieldsSchema } from "../../src/providers/template";
import type { toRow, toSummaryRow } from "../../src/routes/config";
import type { configBodySchema } from "../../src/routes/config-body";
import type { importBodySchema } from "../../src/routes/connection-body";

/** True only when A and B are the same type (not merely assignable). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/**
 * Same keys and each side assignable to the other. Valibot types an absent optional field as
 * `T | undefined` where the SDK writes `T`: that difference is not a contract difference.
 */
type Matches<A, B> =
	Equal<keyof A, keyof B> extends true
		? [Defined<A>] extends [Defined<B>]
			? [Defined<B>] extends [Defined<A>]
				? true
				: false
			: false
		: false;
type Defined<T> = { [K in keyof T]: Exclude<T[K], undefined> };

// A failing check names itself: `check<false>` does not compile.
function check<_ extends true>(): void {}

// Error codes: every code the worker sends is in the SDK's union, and no other.
check<Equal<WorkerErrorCode, ErrorCode>>();
check<Equal<Extract<SdkErrorCode, ErrorCode>, never>>();

// Credentials, one shape per auth mode.
check<Equal<sdk.Credentials["type"], Credentials["type"]>>();
check<Matches<sdk.OAuth2Credentials, CredentialsOf<"OAUTH2">>>();
check<Matches<sdk.OAuth1Credentials, CredentialsOf<"OAUTH1">>>();

// The connection object and the list item.
type WorkerConnection = ReturnType<typeof connectionObject>;
check<Matches<Omit<sdk.Connection, "credentials">, Omit<WorkerConnection, "credentials">>>();
check<Matches<sdk.ConnectionListItem, ReturnType<typeof connectionListItem>>>();

// Template fields, configs as the worker answers them, and the bodies it accepts.
check<Matches<sdk.TemplateFields, v.InferOutput<typeof templateFieldsSchema>>>();
check<
	Matches<Omit<sdk.ProviderConfigSummary, "template">, Omit<ReturnType<typeof toSummaryRow>, "template">>
>();
check<Matches<Omit<sdk.ProviderConfig, "template">, Omit<ReturnType<typeof toRow>, "template">>>();
check<Matches<sdk.ProviderConfigInput, v.InferInput<typeof configBodySchema>>>();
check<Matches<sdk.ImportConnectionInput, v.InferInput<typeof importBodySchema>>>();

// The connect-session bodies (docs/connect-sessions.md).
check<Matches<sdk.ConnectSessionInput, v.InferInput<typeof connectSessionBodySchema>>>();
check<Matches<sdk.ReconnectSessionInput, v.InferInput<typeof reconnectSessionBodySchema>>>();
check<Matches<sdk.EndUser, EndUser>>();
