/**
 * The one interface every auth mode implements: how a connection is started and completed (a
 * browser flow through the provider, for the modes that have one), when its credentials expire
 * and how they are refreshed (if ever), and how a request to the provider's API is authorized.
 * A mode is one module in this folder, listed in `registry.ts`; nothing else branches on modes.
 *
 * @example
 * const mode = authMode(connection.credentials.type);
 * if (mode.refresh && mode.refreshable(credentials)) await mode.refresh({ config, template, credentials, ... });
 */
import type { Credentials } from "../connections/credentials";
import type { RefreshFailure } from "../connections/refresh-failure";
import type { Config } from "../db/configs";
import type { FlowFailure } from "../flow/failure";
import type { FlowSession, SessionInput } from "../flow/session";
import type { ProviderTemplate } from "../providers/template";

/** What starting a browser flow gets: the config, its template and the checked placeholder values. */
export interface FlowStart {
	config: Config;
	template: ProviderTemplate;
	/** the connection config as placeholder values, defaults applied and patterns checked */
	values: Record<string, string>;
	session: SessionInput;
}

/** The session to store and the provider URL to send the user to, or why not. */
export type FlowStarted = { session: FlowSession; location: string } | FlowFailure;

export interface FlowFinish {
	config: Config;
	template: ProviderTemplate;
	session: FlowSession;
	/** the callback's query string */
	query: URLSearchParams;
}

export type FlowFinished =
	| {
			ok: true;
			credentials: Credentials;
			metadata: Record<string, unknown>;
			/** values the provider sent back that join the connection config (GitHub's `installation_id`) */
			connectionConfig?: Record<string, string>;
	  }
	| { ok: false; failure: FlowFailure };

export interface RefreshInput<C extends Credentials> {
	config: Config;
	template: ProviderTemplate;
	credentials: C;
	connectionConfig: Record<string, unknown>;
	/** epoch ms the new credentials' lifetime counts from */
	now: number;
}

export type Refreshed<C extends Credentials> =
	| { ok: true; credentials: C; metadata: Record<string, unknown> }
	| RefreshFailure;

export interface AuthorizeInput<C extends Credentials> {
	config: Config;
	credentials: C;
}

// Method syntax on purpose: a mode for one credentials shape can then stand where the union is
// expected (TypeScript checks method parameters bivariantly), so the registry needs no casts.
export interface AuthMode<C extends Credentials> {
	/** the browser flow (`/oauth/connect` → provider → `/oauth/callback`), when the mode has one */
	readonly flow?: {
		start(input: FlowStart): Promise<FlowStarted>;
		finish(input: FlowFinish): Promise<FlowFinished>;
		/**
		 * connection-config names `finish` learns from the provider's redirect (GitHub's
		 * `installation_id`): placeholders that need no value when the flow starts
		 */
		readonly learns?: readonly string[];
	};
	/** when the credentials stop working (epoch ms); undefined when unknown or never */
	expiresAt(credentials: C): number | undefined;
	/** true when `refresh` can renew these credentials */
	refreshable(credentials: C): boolean;
	refresh?(input: RefreshInput<C>): Promise<Refreshed<C>>;
	/**
	 * a copy of `request` carrying the credentials in the mode's default place, for a call to the
	 * provider's API; a template's `proxy.headers` and `proxy.query` are applied after it
	 */
	authorize(request: Request, input: AuthorizeInput<C>): Promise<Request>;
	/**
	 * the values a template's `proxy.headers`, `proxy.query` and base URL may name (`${apiKey}`,
	 * `${accessToken}`, `${username}`, `${password}`)
	 */
	templateValues(credentials: C): Record<string, string>;
}
