/**
 * @nango-edge/node: the backend client of the nango-edge worker. Fetch only, no dependencies;
 * runs unchanged on Node >= 20, Deno, Bun and Cloudflare Workers.
 *
 * @example
 * import { Nango } from "@nango-edge/node";
 * const nango = new Nango({ host: "https://nango.example.workers.dev", secretKey: env.NANGO_SECRET_KEY });
 * const accessToken = await nango.getToken("github", "alice@example.com");
 */
export type { DeleteConfigOptions, NangoOptions, ReadOptions } from "./client.js";
export { DEFAULT_HOST, Nango, Pizzly } from "./client.js";
export type { NangoErrorCode, NangoErrorInit, SdkErrorCode, WorkerErrorCode } from "./errors.js";
export { NangoError, NangoNetworkError, NangoTimeoutError } from "./errors.js";
export type { ProxyConfiguration, ProxyResponse } from "./proxy.js";
export type { FetchFunction } from "./transport.js";
export type {
	AccessToken,
	AuthMode,
	Connection,
	ConnectionConfigField,
	ConnectionList,
	ConnectionListItem,
	ConnectSessionInput,
	ConnectSessionToken,
	Credentials,
	EndUser,
	EndUserInput,
	ImportConnectionInput,
	IntegrationDefaults,
	ListConnectionsFilter,
	OAuth1Credentials,
	OAuth1Token,
	OAuth2Credentials,
	Provider,
	ProviderConfig,
	ProviderConfigInput,
	ProviderConfigList,
	ProviderConfigSummary,
	ProviderList,
	ProviderSummary,
	ReconnectSessionInput,
	RefreshError,
	TemplateFields,
} from "./types.js";

// `import Nango from "@nango-edge/node"`, as early snippets write it; `@nango-edge/node/pizzly`
// has Pizzly as its default, for the Pizzly document's `import Pizzly from …`.
import { Nango as DefaultNango } from "./client.js";
export default DefaultNango;
