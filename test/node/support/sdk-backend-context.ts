/**
 * What every case of the shared backend-SDK suite receives, in Node and in Deno alike: the SDK
 * module under test (the built `dist`, as published), the worker and the fault server.
 */
import type * as Sdk from "../../../sdk/backend/dist/index.js";

export interface SuiteContext {
	sdk: typeof Sdk;
	workerUrl: string;
	secretKey: string;
	/** see fault-server.ts */
	faultsUrl: string;
	/** a loopback URL nothing listens on */
	closedUrl: string;
	/** unique per run (e.g. "node-3f2a"): keeps runs sharing a worker apart */
	prefix: string;
}

export interface SuiteCase {
	name: string;
	run: (context: SuiteContext) => Promise<void>;
}

let counter = 0;

/** A fresh provider config key or session id for one case. */
export function unique(context: SuiteContext, label: string): string {
	counter += 1;
	return `${context.prefix}-${label}-${counter}`;
}

export function client(context: SuiteContext, options: Partial<Sdk.NangoOptions> = {}): Sdk.Nango {
	return new context.sdk.Nango({ host: context.workerUrl, secretKey: context.secretKey, ...options });
}

/** The smallest valid body for a config on the catalog's `github` template. */
export function githubConfigBody(key: string): Sdk.ProviderConfigInput {
	return {
		provider_config_key: key,
		provider: "github",
		oauth_client_id: "id",
		oauth_client_secret: "secret",
		oauth_scopes: "repo",
	};
}

/** A config on the catalog's `github` template, for cases that need connections. */
export async function githubConfig(context: SuiteContext, label: string): Promise<string> {
	const key = unique(context, label);
	await client(context).createConfig({
		provider_config_key: key,
		provider: "github",
		oauth_client_id: "client-id",
		oauth_client_secret: "client-secret",
		oauth_scopes: "read:user,repo",
	});
	return key;
}

/** How many requests a fault-server session received. */
export async function hits(context: SuiteContext, session: string): Promise<number> {
	const response = await fetch(`${context.faultsUrl}/hits/${session}`);
	const body = (await response.json()) as { hits: number };
	return body.hits;
}
