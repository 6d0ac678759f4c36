/**
 * The browser client: `new Nango(host)` or `new Nango({host, publicKey})` as in the early Nango
 * documents, or `new Nango({host, connectSessionToken})` with a connect session from the app's
 * backend (docs/connect-sessions.md), then `auth()` from a click handler.
 *
 * @example
 * const nango = new Nango("http://localhost:3003");
 * button.onclick = () =>
 *   nango.auth("github", "user-1").then((r) => console.log(r.connectionId), (e) => console.log(e.type));
 * // under a connect session the worker chooses the connection id:
 * new Nango({ host, connectSessionToken }).auth("github").then((r) => console.log(r.connectionId));
 */
import { authorize } from "./authorization.js";
import { connectUrl } from "./connect-url.js";
import { AuthError } from "./errors.js";

export interface NangoOptions {
	/** the worker's URL, e.g. `http://localhost:3003` */
	host: string;
	/** the worker's NANGO_PUBLIC_KEY, when it has one */
	publicKey?: string | undefined;
	/** a connect session token (`nango_connect_session_…`) your backend minted for this user */
	connectSessionToken?: string | undefined;
}

export interface AuthOptions {
	/** connection config (`${connectionConfig.subdomain}` in a template's URLs) */
	params?: Record<string, string> | undefined;
	/** HMAC-SHA256(NANGO_HMAC_KEY, "<providerConfigKey>:<connectionId>") from your backend */
	hmac?: string | undefined;
	/** reject with `timeout` after this long (default 5 minutes) */
	timeoutMs?: number | undefined;
}

export interface AuthResult {
	providerConfigKey: string;
	connectionId: string;
}

/** `connect()` also names the key as the Pizzly documents do. */
export interface ConnectResult extends AuthResult {
	integrationKey: string;
}

const DEFAULT_TIMEOUT_MS = 5 * 60 * 1000;

export class Nango {
	readonly #host: URL;
	readonly #publicKey: string | undefined;
	readonly #connectSessionToken: string | undefined;
	/** the query name the server reads the public key from */
	protected readonly publicKeyParam: string = "public_key";

	constructor(options: string | NangoOptions) {
		const { host, publicKey, connectSessionToken } =
			typeof options === "string"
				? { host: options, publicKey: undefined, connectSessionToken: undefined }
				: options;
		try {
			this.#host = new URL(host);
		} catch {
			throw new TypeError(`Invalid URL for the Nango host: '${host}' (e.g. 'http://localhost:3003').`);
		}
		this.#publicKey = publicKey || undefined;
		this.#connectSessionToken = connectSessionToken || undefined;
	}

	/**
	 * Opens the authorization window at once (call it from a user gesture), resolves when the
	 * worker has stored the connection, rejects with an `AuthError`. Under a connect session, give
	 * no connection id: the worker chooses it, and the result carries it.
	 */
	auth(providerConfigKey: string, connectionId: string, options?: AuthOptions): Promise<AuthResult>;
	auth(providerConfigKey: string, options?: AuthOptions): Promise<AuthResult>;
	auth(
		providerConfigKey: string,
		connectionIdOrOptions?: string | AuthOptions,
		options: AuthOptions = {},
	): Promise<AuthResult> {
		const connectionId = typeof connectionIdOrOptions === "string" ? connectionIdOrOptions : undefined;
		const given = typeof connectionIdOrOptions === "object" ? connectionIdOrOptions : options;
		return this.#run(providerConfigKey, connectionId, given).then((chosen) => ({
			providerConfigKey,
			connectionId: chosen,
		}));
	}

	/** `auth()` under a reconnect session (today's Nango's name): the session names the connection. */
	reconnect(providerConfigKey: string, options: AuthOptions = {}): Promise<AuthResult> {
		return this.auth(providerConfigKey, options);
	}

	/**
	 * `auth()` under the Pizzly name, resolving `integrationKey` too. Without a connection id, a
	 * random one is chosen and returned.
	 */
	connect(integrationKey: string, connectionId?: string, options: AuthOptions = {}): Promise<ConnectResult> {
		const id = connectionId ?? (this.#connectSessionToken ? undefined : randomId());
		return this.#run(integrationKey, id, options).then((chosen) => ({
			providerConfigKey: integrationKey,
			integrationKey,
			connectionId: chosen,
		}));
	}

	/** Resolves with the connection id: the one given, or the one the worker chose. */
	#run(providerConfigKey: string, connectionId: string | undefined, options: AuthOptions): Promise<string> {
		const session = this.#connectSessionToken;
		const invalid = !isNonEmpty(providerConfigKey)
			? "auth() needs a provider config key (a non-empty string)."
			: session && connectionId !== undefined
				? "Under a connect session the worker chooses the connection id: call auth(providerConfigKey)."
				: !session && !isNonEmpty(connectionId)
					? "auth() needs a provider config key and a connection id (non-empty strings)."
					: undefined;
		if (invalid) {
			return Promise.reject(
				new AuthError("invalid_argument", invalid, String(providerConfigKey), String(connectionId ?? "")),
			);
		}
		const url = connectUrl(this.#host, providerConfigKey, {
			connectionId,
			connectSessionToken: session,
			params: options.params,
			hmac: options.hmac,
			publicKey: this.#publicKey && !session ? [this.publicKeyParam, this.#publicKey] : undefined,
		});
		return authorize({
			host: this.#host,
			connectUrl: url,
			providerConfigKey,
			connectionId,
			timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
		}).then((result) => connectionId ?? result.connectionId ?? "");
	}
}

function isNonEmpty(value: unknown): value is string {
	return typeof value === "string" && value.length > 0;
}

/** 128 random bits; `crypto.randomUUID` exists only on https and loopback pages */
function randomId(): string {
	return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join(
		"",
	);
}
