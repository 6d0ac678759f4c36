/**
 * Provider configs in D1. The client secret is sealed here and opened here: callers never see
 * ciphertext.
 */
import { and, asc, eq, inArray, notExists, sql } from "drizzle-orm";
import { aad, type Keyring } from "../crypto/cipher";
import { ApiError } from "../errors";
import type { TemplateFields } from "../providers/template";
import type { Db } from "./client";
import { configs, connections, sqlNow } from "./schema";

export interface Config {
	id: number;
	uniqueKey: string;
	provider: string;
	oauthClientId: string;
	oauthClientSecret: string;
	oauthScopes: string[];
	template: TemplateFields | null;
	/**
	 * A GitHub App config's slug (docs/github-app.md); null for every other config. Such a config keeps
	 * its app id in `oauthClientId` and its private key (PEM) in `oauthClientSecret`, sealed.
	 */
	appSlug: string | null;
	createdAt: string;
	updatedAt: string;
}

export type ConfigSummary = Omit<Config, "oauthClientSecret">;

/** What creating or replacing a config writes: everything but the row's own id and timestamps. */
export type ConfigInput = Omit<Config, "id" | "createdAt" | "updatedAt">;

export const configSecretAad = (uniqueKey: string) => aad("configs", uniqueKey, "oauth_client_secret");

export async function listConfigs(db: Db): Promise<ConfigSummary[]> {
	const rows = await db
		.select({
			id: configs.id,
			uniqueKey: configs.uniqueKey,
			provider: configs.provider,
			oauthClientId: configs.oauthClientId,
			oauthScopes: configs.oauthScopes,
			template: configs.template,
			appSlug: configs.appSlug,
			createdAt: configs.createdAt,
			updatedAt: configs.updatedAt,
		})
		.from(configs)
		.orderBy(asc(configs.id));
	return rows.map((row) => ({
		...row,
		oauthScopes: splitScopes(row.oauthScopes),
		template: parseTemplateFields(row.template),
	}));
}

export async function getConfig(db: Db, keyring: Keyring, uniqueKey: string): Promise<Config> {
	const config = await findConfig(db, keyring, uniqueKey);
	if (!config) throw new ApiError("unknown_provider_config");
	return config;
}

/** The config, or undefined when there is none (flows and refreshes answer that themselves). */
export async function findConfig(db: Db, keyring: Keyring, uniqueKey: string): Promise<Config | undefined> {
	const row = await db.select().from(configs).where(eq(configs.uniqueKey, uniqueKey)).get();
	if (!row) return undefined;
	return {
		...row,
		oauthClientSecret: await keyring.open(row.oauthClientSecret, configSecretAad(row.uniqueKey)),
		oauthScopes: splitScopes(row.oauthScopes),
		template: parseTemplateFields(row.template),
	};
}

export async function createConfig(db: Db, keyring: Keyring, input: ConfigInput): Promise<number> {
	const row = await db
		.insert(configs)
		.values(await columns(keyring, input))
		.onConflictDoNothing({ target: configs.uniqueKey })
		.returning({ id: configs.id })
		.get();
	if (!row) throw new ApiError("duplicate_provider_config");
	return row.id;
}

export async function updateConfig(db: Db, keyring: Keyring, input: ConfigInput): Promise<number> {
	const row = await db
		.update(configs)
		.set({ ...(await columns(keyring, input)), updatedAt: sqlNow })
		.where(eq(configs.uniqueKey, input.uniqueKey))
		.returning({ id: configs.id })
		.get();
	if (!row) throw new ApiError("unknown_provider_config");
	return row.id;
}

/**
 * Without `force`, one statement deletes the config only if no connection uses it, so a
 * connection created meanwhile can never be orphaned. With `force`, one atomic batch removes
 * the connections and the config together.
 */
export async function deleteConfig(db: Db, uniqueKey: string, force: boolean): Promise<void> {
	if (force) {
		const [, deleted] = await db.batch([
			db.delete(connections).where(eq(connections.providerConfigKey, uniqueKey)),
			db.delete(configs).where(eq(configs.uniqueKey, uniqueKey)).returning({ id: configs.id }),
		]);
		if (deleted.length === 0) throw new ApiError("unknown_provider_config");
		return;
	}
	const deleted = await db
		.delete(configs)
		.where(
			and(
				eq(configs.uniqueKey, uniqueKey),
				notExists(
					db.select({ one: sql`1` }).from(connections).where(eq(connections.providerConfigKey, uniqueKey)),
				),
			),
		)
		.returning({ id: configs.id });
	if (deleted.length > 0) return;
	throw new ApiError(
		(await configExists(db, uniqueKey)) ? "config_has_connections" : "unknown_provider_config",
	);
}

async function columns(keyring: Keyring, input: ConfigInput) {
	return {
		uniqueKey: input.uniqueKey,
		provider: input.provider,
		oauthClientId: input.oauthClientId,
		oauthClientSecret: await keyring.seal(input.oauthClientSecret, configSecretAad(input.uniqueKey)),
		oauthScopes: input.oauthScopes.join(","),
		template: input.template ? JSON.stringify(input.template) : null,
		appSlug: input.appSlug,
	};
}

function splitScopes(joined: string): string[] {
	return joined.split(",").filter((scope) => scope.length > 0);
}

/** The `template` column: our own JSON, validated by the config routes before it was stored. */
export function parseTemplateFields(json: string | null): TemplateFields | null {
	return json ? (JSON.parse(json) as TemplateFields) : null;
}

export async function configExists(db: Db, uniqueKey: string): Promise<boolean> {
	const row = await db.select({ id: configs.id }).from(configs).where(eq(configs.uniqueKey, uniqueKey)).get();
	return row !== undefined;
}

/** The keys among `keys` that name no config. */
export async function missingConfigKeys(db: Db, keys: string[]): Promise<string[]> {
	const wanted = [...new Set(keys)];
	const found = new Set<string>();
	// D1 binds at most 100 parameters per statement.
	for (let i = 0; i < wanted.length; i += 90) {
		const rows = await db
			.select({ uniqueKey: configs.uniqueKey })
			.from(configs)
			.where(inArray(configs.uniqueKey, wanted.slice(i, i + 90)));
		for (const row of rows) found.add(row.uniqueKey);
	}
	return wanted.filter((key) => !found.has(key));
}
