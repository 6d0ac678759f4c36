/**
 * Provider configs, early shape (docs/api.md#provider-configs): `/config` CRUD as the early CLI calls it.
 */
import { Hono } from "hono";
import { forgetConfig } from "../connections/forget";
import { keyringFrom } from "../crypto/cipher";
import { database } from "../db/client";
import {
	type Config,
	type ConfigSummary,
	createConfig,
	deleteConfig,
	getConfig,
	listConfigs,
	updateConfig,
} from "../db/configs";
import type { AppEnv } from "../env";
import { parseInput, readJson } from "../input/body";
import { flagSchema, providerConfigKeySchema } from "../input/identifiers";
import { configBodySchema, toConfigInput } from "./config-body";

export const configRoutes = new Hono<AppEnv>()
	.get("/", async (c) => {
		const rows = await listConfigs(database(c.env.DB));
		return c.json({ configs: rows.map(toSummaryRow) });
	})
	.get("/:provider_config_key", async (c) => {
		const key = parseInput(providerConfigKeySchema, c.req.param("provider_config_key"), "invalid_query");
		const config = await getConfig(database(c.env.DB), await keyringFrom(c.env), key);
		return c.json({ config: toRow(config) });
	})
	.post("/", async (c) => {
		const input = await toConfigInput(await readJson(c.req.raw, configBodySchema));
		const id = await createConfig(database(c.env.DB), await keyringFrom(c.env), input);
		return c.json({ config_id: id });
	})
	.put("/", async (c) => {
		const input = await toConfigInput(await readJson(c.req.raw, configBodySchema));
		const id = await updateConfig(database(c.env.DB), await keyringFrom(c.env), input);
		forgetConfig(input.uniqueKey);
		return c.json({ config_id: id });
	})
	.delete("/:provider_config_key", async (c) => {
		const key = parseInput(providerConfigKeySchema, c.req.param("provider_config_key"), "invalid_query");
		const force = parseInput(flagSchema, c.req.query("force"), "invalid_query");
		await deleteConfig(database(c.env.DB), key, force);
		forgetConfig(key);
		return c.json({ result: "ok" });
	});

/**
 * The early row: ISO timestamps, scopes comma-joined, `account_id` always 0. A GitHub App's
 * private key is its client secret, shown here as that is (docs/github-app.md#config).
 */
export function toRow(config: Config) {
	return {
		...toSummaryRow(config),
		oauth_client_secret: config.oauthClientSecret,
		...(config.appSlug === null ? {} : { app_private_key: config.oauthClientSecret }),
	};
}

export function toSummaryRow(config: ConfigSummary) {
	return {
		id: config.id,
		created_at: config.createdAt,
		updated_at: config.updatedAt,
		unique_key: config.uniqueKey,
		provider: config.provider,
		oauth_client_id: config.oauthClientId,
		oauth_scopes: config.oauthScopes.join(","),
		account_id: 0,
		...(config.template ? { template: config.template } : {}),
		...(config.appSlug === null ? {} : { app_id: config.oauthClientId, app_slug: config.appSlug }),
	};
}
