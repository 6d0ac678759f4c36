/**
 * What the worker is given: bindings (typed by `wrangler types` in worker-configuration.d.ts)
 * plus the optional secrets and vars of SPEC §2 and §7, which `wrangler types` cannot see.
 */
export interface Secrets {
	/** guards every backend route (SPEC §2) */
	NANGO_SECRET_KEY?: string;
	/** base64 of 32 bytes; seals every secret at rest (SPEC §7) */
	NANGO_ENCRYPTION_KEY?: string;
	/** older keys, comma- or space-separated: still readable, never used to write */
	NANGO_ENCRYPTION_KEYS_OLD?: string;
	/** when set, /oauth/connect requires it as public_key or pizzly_pkey */
	NANGO_PUBLIC_KEY?: string;
	/** when set, /oauth/connect requires hmac = HMAC-SHA256(key, "<config key>:<connection id>") */
	NANGO_HMAC_KEY?: string;
	/** full callback URL registered with providers */
	NANGO_CALLBACK_URL?: string;
	/** public origin of the worker; the callback is NANGO_SERVER_URL + /oauth/callback */
	NANGO_SERVER_URL?: string;
	/** comma-separated origins allowed to call backend routes from a browser */
	NANGO_CORS_ORIGINS?: string;
}

export type Bindings = Env & Secrets;
export type AppEnv = { Bindings: Bindings };
