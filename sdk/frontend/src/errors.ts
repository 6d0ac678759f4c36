/**
 * The one error `auth()` and `connect()` reject with. It carries the flat form (`type`,
 * `message`) and the early documented form (`{providerConfigKey, connectionId, error: {type,
 * message}}`) so code written for @nangohq/frontend or Pizzly reads it unchanged.
 *
 * @example
 * nango.auth("github", "user-1").catch((e) => console.log(e.type, e.error.message));
 */

/**
 * `authorization_cancelled`, `blocked_by_browser`, `timeout` and `invalid_argument` come from
 * the SDK; any other type is the server's (`token_err`, `state_err`, the provider's `error`, …).
 */
export type AuthErrorType =
	| "authorization_cancelled"
	| "blocked_by_browser"
	| "timeout"
	| "invalid_argument"
	| (string & {});

export class AuthError extends Error {
	override readonly name = "AuthError";
	readonly type: AuthErrorType;
	readonly providerConfigKey: string;
	/** the same key, under the Pizzly documents' name */
	readonly integrationKey: string;
	readonly connectionId: string;
	/** the nested form of the early documents: `error.error.type`, `error.error.message` */
	readonly error: { type: AuthErrorType; message: string };

	constructor(type: AuthErrorType, message: string, providerConfigKey: string, connectionId: string) {
		super(message);
		this.type = type;
		this.providerConfigKey = this.integrationKey = providerConfigKey;
		this.connectionId = connectionId;
		this.error = { type, message };
	}
}
