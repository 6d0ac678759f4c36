/**
 * The backend client of the nango-edge worker: fresh tokens, connections and provider configs
 * over its REST API (docs/api.md), with the method names of the early Nango and Pizzly clients.
 *
 * @example
 * const nango = new Nango({ host: "http://localhost:3003", secretKey: process.env.NANGO_SECRET_KEY });
 * const token = await nango.getToken("github", "alice@example.com");
 */
import { NangoError } from "./errors.js";
import { type ProxyConfiguration, type ProxyResponse, type ProxyTarget, proxyCall } from "./proxy.js";
import { type FetchFunction, Transport } from "./transport.js";
import type {
	AccessToken,
	Connection,
	ConnectionList,
	ConnectSessionInput,
	ConnectSessionToken,
	ImportConnectionInput,
	ListConnectionsFilter,
	Provider,
	ProviderConfig,
	ProviderConfigInput,
	ProviderConfigList,
	ProviderList,
	ReconnectSessionInput,
} from "./types.js";

/** Each option may be given as `undefined` (e.g. `process.env.NANGO_SECRET_KEY`): the default applies. */
export interface NangoOptions {
	/** the worker's URL; default http://localhost:3003 (`npm run dev`). A trailing slash is fine. */
	host?: string | undefined;
	/** the worker's NANGO_SECRET_KEY, sent as `Authorization: Bearer`; empty means none */
	secretKey?: string | undefined;
	/** replaces the global fetch, e.g. a service binding's `fetch` inside a Worker */
	fetch?: FetchFunction | undefined;
	/** per attempt; default 10 000 ms */
	timeoutMs?: number | undefined;
	/** extra attempts for reads (GET) after a network error or a 5xx; default 2 */
	retries?: number | undefined;
}

export interface ReadOptions {
	/** refresh the access token now, even if it is still fresh */
	forceRefresh?: boolean;
}

export interface DeleteConfigOptions {
	/** also delete the config's connections (otherwise 409 `config_has_connections`) */
	force?: boolean;
}

export const DEFAULT_HOST = "http://localhost:3003";
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_RETRIES = 2;

/** One path segment: ids may be emails or contain `/`, `?`, spaces or any Unicode. */
const segment = encodeURIComponent;

export class Nango {
	/** the normalized worker URL, without a trailing slash */
	readonly host: string;
	readonly #transport: Transport;
	readonly #proxy: ProxyTarget;

	constructor(options: string | NangoOptions = {}) {
		const opts = typeof options === "string" ? { host: options } : options;
		this.host = normalizeHost(opts.host ?? DEFAULT_HOST);
		this.#transport = new Transport({
			host: this.host,
			secretKey: opts.secretKey,
			fetch: opts.fetch,
			timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
			retries: Math.max(0, opts.retries ?? DEFAULT_RETRIES),
		});
		this.#proxy = {
			host: this.host,
			secretKey: opts.secretKey,
			fetch: opts.fetch,
			timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
		};
	}

	// The provider's API through the worker (docs/proxy.md), as today's @nangohq/node calls it

	/** One call to the provider's API with the connection's credentials; any status is answered, not thrown. */
	proxy<T = unknown>(config: ProxyConfiguration): Promise<ProxyResponse<T>> {
		return proxyCall<T>(this.#proxy, config);
	}

	get<T = unknown>(config: Omit<ProxyConfiguration, "method">) {
		return this.proxy<T>({ ...config, method: "GET" });
	}

	post<T = unknown>(config: Omit<ProxyConfiguration, "method">) {
		return this.proxy<T>({ ...config, method: "POST" });
	}

	put<T = unknown>(config: Omit<ProxyConfiguration, "method">) {
		return this.proxy<T>({ ...config, method: "PUT" });
	}

	patch<T = unknown>(config: Omit<ProxyConfiguration, "method">) {
		return this.proxy<T>({ ...config, method: "PATCH" });
	}

	delete<T = unknown>(config: Omit<ProxyConfiguration, "method">) {
		return this.proxy<T>({ ...config, method: "DELETE" });
	}

	// Connections and tokens (docs/api.md#connections)

	/**
	 * What a call to the provider needs, always fresh: OAuth 2, client credentials and GitHub App:
	 * the access token; API key: the key; basic: `{ username, password }`; OAuth 1.0a:
	 * `{ oAuthToken, oAuthTokenSecret }` (as today's Nango client answers).
	 */
	async getToken(
		providerConfigKey: string,
		connectionId: string,
		options?: ReadOptions,
	): Promise<AccessToken> {
		const { credentials } = await this.getConnection(providerConfigKey, connectionId, options);
		switch (credentials.type) {
			case "OAUTH2":
				return credentials.access_token;
			case "OAUTH1":
				return { oAuthToken: credentials.oauth_token, oAuthTokenSecret: credentials.oauth_token_secret };
			case "OAUTH2_CC":
				return credentials.token;
			case "APP":
				return credentials.access_token;
			case "API_KEY":
				return credentials.apiKey;
			case "BASIC":
				return { username: credentials.username, password: credentials.password };
			default:
				throw new NangoError(`Unrecognized credentials type in the connection '${connectionId}'.`, {
					status: 200,
					code: "unexpected_response",
				});
		}
	}

	/** The provider's full token response (`credentials.raw`), after any refresh. */
	async getRawTokenResponse(
		providerConfigKey: string,
		connectionId: string,
		options?: ReadOptions,
	): Promise<Record<string, unknown>> {
		const { credentials } = await this.getConnection(providerConfigKey, connectionId, options);
		return "raw" in credentials ? credentials.raw : {};
	}

	/** The connection object, credentials included, with a fresh access token. */
	getConnection(providerConfigKey: string, connectionId: string, options?: ReadOptions): Promise<Connection> {
		return this.#transport.request({
			method: "GET",
			path: `/connection/${segment(connectionId)}`,
			query: {
				provider_config_key: providerConfigKey,
				force_refresh: options?.forceRefresh ? "true" : undefined,
			},
		});
	}

	/** One page of connections (no credentials), optionally of one config or one connection id. */
	listConnections(filter: ListConnectionsFilter = {}): Promise<ConnectionList> {
		return this.#transport.request({
			method: "GET",
			path: "/connections",
			query: {
				connectionId: filter.connectionId,
				integrationId: filter.providerConfigKey,
				limit: filter.limit === undefined ? undefined : String(filter.limit),
				page: filter.page === undefined ? undefined : String(filter.page),
			},
		});
	}

	async deleteConnection(providerConfigKey: string, connectionId: string): Promise<void> {
		await this.#transport.request({
			method: "DELETE",
			path: `/connection/${segment(connectionId)}`,
			query: { provider_config_key: providerConfigKey },
		});
	}

	/** Stores credentials obtained elsewhere; answers the new connection. */
	importConnection(input: ImportConnectionInput): Promise<Connection> {
		return this.#transport.request({ method: "POST", path: "/connection", body: input });
	}

	// Connect sessions (docs/connect-sessions.md), as today's @nangohq/node names them

	/** A 30-minute token that lets one end user's browser start flows; hand it to your page. */
	createConnectSession(input: ConnectSessionInput): Promise<{ data: ConnectSessionToken }> {
		return this.#transport.request({ method: "POST", path: "/connect/sessions", body: input });
	}

	/** A session whose flows replace the credentials of one existing connection. */
	createReconnectSession(input: ReconnectSessionInput): Promise<{ data: ConnectSessionToken }> {
		return this.#transport.request({ method: "POST", path: "/connect/sessions/reconnect", body: input });
	}

	// Provider configs (docs/api.md#provider-configs)

	/** Every provider config, without client secrets. */
	listConfigs(): Promise<ProviderConfigList> {
		return this.#transport.request({ method: "GET", path: "/config" });
	}

	/** One provider config, its client secret included. */
	async getConfig(providerConfigKey: string): Promise<ProviderConfig> {
		const body = await this.#transport.request<{ config: ProviderConfig }>({
			method: "GET",
			path: `/config/${segment(providerConfigKey)}`,
		});
		return body.config;
	}

	createConfig(input: ProviderConfigInput): Promise<{ config_id: number }> {
		return this.#transport.request({ method: "POST", path: "/config", body: input });
	}

	/** Replaces the config named by `input.provider_config_key`. */
	updateConfig(input: ProviderConfigInput): Promise<{ config_id: number }> {
		return this.#transport.request({ method: "PUT", path: "/config", body: input });
	}

	async deleteConfig(providerConfigKey: string, options?: DeleteConfigOptions): Promise<void> {
		await this.#transport.request({
			method: "DELETE",
			path: `/config/${segment(providerConfigKey)}`,
			query: { force: options?.force ? "true" : undefined },
		});
	}

	// Catalog (docs/api.md#provider-catalog)

	listProviders(): Promise<ProviderList> {
		return this.#transport.request({ method: "GET", path: "/providers" });
	}

	getProvider(providerKey: string): Promise<Provider> {
		return this.#transport.request({ method: "GET", path: `/providers/${segment(providerKey)}` });
	}

	// Names used by the seed documents (early Nango and Pizzly READMEs)

	/** Alias of `getToken`. */
	currentAccessToken(providerConfigKey: string, connectionId: string, options?: ReadOptions) {
		return this.getToken(providerConfigKey, connectionId, options);
	}

	/** Alias of `getToken` (Pizzly). */
	accessToken(providerConfigKey: string, connectionId: string, options?: ReadOptions) {
		return this.getToken(providerConfigKey, connectionId, options);
	}

	/** Alias of `getRawTokenResponse` (Pizzly). */
	rawTokenResponse(providerConfigKey: string, connectionId: string, options?: ReadOptions) {
		return this.getRawTokenResponse(providerConfigKey, connectionId, options);
	}

	/** Alias of `getRawTokenResponse`, misspelled as in the early Nango README. */
	rawTokenReponse(providerConfigKey: string, connectionId: string, options?: ReadOptions) {
		return this.getRawTokenResponse(providerConfigKey, connectionId, options);
	}

	/** Alias of `getConnection` (Pizzly). */
	connection(providerConfigKey: string, connectionId: string, options?: ReadOptions) {
		return this.getConnection(providerConfigKey, connectionId, options);
	}
}

/** The Pizzly document's constructor: `new Pizzly(host, secretKey)`. */
export class Pizzly extends Nango {
	constructor(host: string = DEFAULT_HOST, secretKey?: string) {
		super({ host, secretKey });
	}
}

function normalizeHost(host: string): string {
	const trimmed = host.trim().replace(/\/+$/, "");
	let url: URL;
	try {
		url = new URL(trimmed);
	} catch {
		throw new TypeError(`Invalid Nango host URL: '${host}'.`);
	}
	if (url.protocol !== "http:" && url.protocol !== "https:") {
		throw new TypeError(`The Nango host must be an http:// or https:// URL, not '${host}'.`);
	}
	return trimmed;
}
