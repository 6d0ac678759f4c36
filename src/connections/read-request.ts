/**
 * What a token read asks for, from the path and query of `GET /connection/:id` (early and Pizzly
 * clients) or `GET /connections/:id` (today's client): which connection, whether to force a
 * refresh, and the wire shape of the answer. One place, used by both routes and by the read
 * answered before routing (`memory-read.ts`), so the two can never read a query differently.
 */
import * as v from "valibot";
import { flagSchema, providerConfigKeySchema } from "../input/identifiers";
import type { WireShape } from "./view";

export const earlyReadQuerySchema = v.object({
	provider_config_key: v.optional(providerConfigKeySchema),
	integration_key: v.optional(providerConfigKeySchema),
	force_refresh: flagSchema,
});

// Today's client also sends `refresh_github_app_jwt_token`: ignored, as unknown keys are.
export const todayReadQuerySchema = v.object({
	provider_config_key: providerConfigKeySchema,
	force_refresh: flagSchema,
	refresh_token: flagSchema,
});

export interface ReadRequest<Key extends string | undefined = string | undefined> {
	/** undefined only on the early route when neither key is given (`missing_provider_config`) */
	providerConfigKey: Key;
	forceRefresh: boolean;
	shape: WireShape;
}

export type ReadRoute = "connection" | "connections";

export function earlyRead(query: v.InferOutput<typeof earlyReadQuerySchema>): ReadRequest {
	return {
		providerConfigKey: query.provider_config_key ?? query.integration_key,
		forceRefresh: query.force_refresh,
		// The Pizzly document's clients name the config `integration_key`.
		shape: query.provider_config_key === undefined ? "pizzly" : "early",
	};
}

export function todayRead(query: v.InferOutput<typeof todayReadQuerySchema>): ReadRequest<string> {
	return {
		providerConfigKey: query.provider_config_key,
		forceRefresh: query.force_refresh,
		shape: query.refresh_token ? "modern_with_refresh_token" : "modern",
	};
}

/** The read a query of `route` asks for; undefined when the query is not valid (the route says why). */
export function readOf(route: ReadRoute, query: Record<string, string>): ReadRequest | undefined {
	switch (route) {
		case "connection": {
			const result = v.safeParse(earlyReadQuerySchema, query);
			return result.success ? earlyRead(result.output) : undefined;
		}
		case "connections": {
			const result = v.safeParse(todayReadQuerySchema, query);
			return result.success ? todayRead(result.output) : undefined;
		}
	}
}
