/**
 * Dropping what the read path remembers (docs/flows.md#token-caches: tokens, list pages) when a connection changes
 * outside its Durable Object: at once in this isolate and in the object; other isolates' memory
 * expires within the serve TTL.
 */
import type { Bindings } from "../env";
import { forgetPages } from "./list";
import { refresherOf } from "./refresher-client";
import { tokenCache } from "./token-cache";

/** A connection deleted or authorized again. */
export async function forgetConnection(env: Bindings, providerConfigKey: string, connectionId: string) {
	tokenCache.forget(providerConfigKey, connectionId);
	forgetPages();
	try {
		await refresherOf(env, providerConfigKey, connectionId).forget();
	} catch (error) {
		// The write itself has happened; the object's copy then expires on its own (COPY_TTL_MS).
		console.error(`forgetting a served copy failed: ${error instanceof Error ? error.name : "error"}`);
	}
}

/** A config deleted (with its connections) or changed: its connections' objects expire on their own. */
export function forgetConfig(providerConfigKey: string): void {
	tokenCache.forgetConfig(providerConfigKey);
	forgetPages();
}

export { forgetPages };
