/**
 * Modern integration aliases (docs/api.md#modern-aliases): `/integrations` as today's `@nangohq/node` calls it.
 */
import { Hono } from "hono";
import { forgetConfig } from "../connections/forget";
import { keyringFrom } from "../crypto/cipher";
import { database } from "../db/client";
import { deleteConfig, getConfig, listConfigs } from "../db/configs";
import type { AppEnv } from "../env";
import { parseInput } from "../input/body";
import { flagSchema, providerConfigKeySchema } from "../input/identifiers";

export const integrationsRoutes = new Hono<AppEnv>()
	.get("/", async (c) => {
		const rows = await listConfigs(database(c.env.DB));
		return c.json({
			data: rows.map((row) => ({
				unique_key: row.uniqueKey,
				provider: row.provider,
				created_at: row.createdAt,
				updated_at: row.updatedAt,
			})),
		});
	})
	.get("/:unique_key", async (c) => {
		const key = parseInput(providerConfigKeySchema, c.req.param("unique_key"), "invalid_query");
		const config = await getConfig(database(c.env.DB), await keyringFrom(c.env), key);
		return c.json({
			data: {
				unique_key: config.uniqueKey,
				provider: config.provider,
				created_at: config.createdAt,
				updated_at: config.updatedAt,
				oauth_client_id: config.oauthClientId,
				oauth_scopes: config.oauthScopes.join(","),
			},
		});
	})
	.delete("/:unique_key", async (c) => {
		const key = parseInput(providerConfigKeySchema, c.req.param("unique_key"), "invalid_query");
		const force = parseInput(flagSchema, c.req.query("force"), "invalid_query");
		await deleteConfig(database(c.env.DB), key, force);
		forgetConfig(key);
		return c.json({ success: true });
	});
