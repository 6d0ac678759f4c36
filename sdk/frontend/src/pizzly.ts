/**
 * The client of the Pizzly document (`@nangohq/pizzly-frontend` 0.5): `new Pizzly(host,
 * publishableKey?)`, `auth(key, connectionId, {params})`, and `connect()`; results carry
 * `integrationKey` beside `providerConfigKey`.
 *
 * @example
 * const pizzly = new Pizzly("http://localhost:3003");
 * pizzly.connect("github").then((result) => console.log(result.integrationKey, result.connectionId));
 */
import { type AuthOptions, type ConnectResult, Nango, type NangoOptions } from "./nango.js";

export class Pizzly extends Nango {
	protected override readonly publicKeyParam = "pizzly_pkey";

	constructor(host: string | NangoOptions, publishableKey?: string) {
		super(typeof host === "string" ? { host, publicKey: publishableKey } : host);
	}

	override auth(integrationKey: string, connectionId: string, options?: AuthOptions): Promise<ConnectResult>;
	override auth(integrationKey: string, options?: AuthOptions): Promise<ConnectResult>;
	override auth(
		integrationKey: string,
		connectionIdOrOptions?: string | AuthOptions,
		options: AuthOptions = {},
	): Promise<ConnectResult> {
		if (typeof connectionIdOrOptions === "object")
			return this.connect(integrationKey, undefined, connectionIdOrOptions);
		return this.connect(integrationKey, connectionIdOrOptions, options);
	}
}
