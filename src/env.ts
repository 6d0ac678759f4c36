/**
 * What the worker is given: the bindings of wrangler.toml and the optional secrets and vars of
 * docs/api.md#authentication and docs/storage-schema.md. Written here rather than generated: `wrangler types` would bake whatever the
 * local .dev.vars holds into a committed file (worker-configuration.d.ts keeps the runtime types).
 */

import type { ConnectionRefresher } from "./connections/refresher";
import type { ResultChannel } from "./flow/result-channel";
import type { WebhookMessage } from "./webhooks/outbox";

export interface Secrets {
	/** guards every backend route (docs/api.md#authentication) */
	NANGO_SECRET_KEY?: string | undefined;
	/** base64 of 32 bytes; seals every secret at rest (docs/storage-schema.md) */
	NANGO_ENCRYPTION_KEY?: string | undefined;
	/** older keys, comma- or space-separated: still readable, never used to write */
	NANGO_ENCRYPTION_KEYS_OLD?: string | undefined;
	/** when set, /oauth/connect requires it as public_key or pizzly_pkey */
	NANGO_PUBLIC_KEY?: string | undefined;
	/** when set, /oauth/connect requires hmac = HMAC-SHA256(key, "<config key>:<connection id>") */
	NANGO_HMAC_KEY?: string | undefined;
	/**
	 * "true" lets any page start a flow for any connection id on a deployed worker, as the early
	 * product did (docs/flows.md#who-may-start-a-flow); otherwise a flow needs a connect session
	 * token or an hmac, except on loopback hosts
	 */
	NANGO_ALLOW_OPEN_FLOWS?: string | undefined;
	/**
	 * seconds a token read is answered from the isolate's memory (docs/flows.md#token-caches);
	 * default 10, 0 turns that off (the benchmark uses it to measure the Durable Object path)
	 */
	NANGO_TOKEN_CACHE_SECONDS?: string | undefined;
	/** full callback URL registered with providers */
	NANGO_CALLBACK_URL?: string | undefined;
	/** public origin of the worker; the callback is NANGO_SERVER_URL + /oauth/callback */
	NANGO_SERVER_URL?: string | undefined;
	/**
	 * comma-separated hosts (`api.example.com`, or `host:port`) a proxied call's `Base-Url-Override`
	 * may name (docs/proxy.md#base-url); unset: no override is honoured
	 */
	NANGO_PROXY_ALLOWED_HOSTS?: string | undefined;
	/** comma-separated origins allowed to call backend routes from a browser */
	NANGO_CORS_ORIGINS?: string | undefined;
	/** where auth webhooks go (docs/webhooks.md); none are sent when unset */
	NANGO_WEBHOOK_URL?: string | undefined;
	/** signs webhooks (X-Nango-Hmac-Sha256); the secret key when unset, as today's client assumes */
	NANGO_WEBHOOK_SIGNING_KEY?: string | undefined;
	/** hours a refresh token may sit unused before the background refresh uses it; default 24 */
	NANGO_REFRESH_IDLE_HOURS?: string | undefined;
	/** connections refreshed per cron run at most; default 25 (docs/background-refresh.md#budget) */
	NANGO_REFRESH_BATCH?: string | undefined;
	/** consecutive refresh failures that exhaust a connection; default 5 */
	NANGO_REFRESH_MAX_FAILURES?: string | undefined;
}

export interface Bindings extends Secrets {
	DB: D1Database;
	/** one object per connection: the only writer of its refreshed credentials (docs/flows.md#one-writer-per-connection) */
	CONNECTION_REFRESHER: DurableObjectNamespace<ConnectionRefresher>;
	/** one object per result WebSocket (ws_client_id): an OAuth flow's result to its page (docs/flows.md#websocket) */
	RESULT_CHANNEL: DurableObjectNamespace<ResultChannel>;
	/** requests per client address to the anonymous routes (docs/api.md#rate-limits) */
	ANONYMOUS_RATE_LIMIT: RateLimit;
	/** auth webhook deliveries (docs/webhooks.md); absent where the queue is not bound (the benchmark) */
	WEBHOOKS?: Queue<WebhookMessage>;
}

declare global {
	namespace Cloudflare {
		interface Env extends Bindings {}
	}
}

export type AppEnv = {
	Bindings: Bindings;
	/** routes that exist only in today's Nango answer errors in its shape (docs/api.md#errors) */
	Variables: { errorShape?: "today" };
};
