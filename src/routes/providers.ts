/**
 * The template catalog (docs/api.md#provider-catalog): public, so a CLI or a setup page can list what it may use.
 */
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { getTemplate, listTemplates } from "../providers/catalog";

export const providersRoutes = new Hono<AppEnv>()
	.get("/", (c) =>
		c.json({
			providers: listTemplates().map(([key, template]) => ({
				key,
				name: template.name ?? key,
				auth_mode: template.auth_mode,
				...(template.docs ? { docs: template.docs } : {}),
				...(template.connection_config ? { connection_config: template.connection_config } : {}),
			})),
		}),
	)
	.get("/:key", (c) => {
		const key = c.req.param("key");
		const template = getTemplate(key);
		if (!template) throw new ApiError("unknown_provider_template", `Unknown provider template '${key}'.`);
		return c.json({ key, ...template });
	});
