/**
 * Modern plural aliases (docs/api.md#modern-aliases) as today's `@nangohq/node` calls them. The object is the
 * early one, except that the refresh token is sent only with `refresh_token=true`, as Nango does.
 */
import { Hono } from "hono";
import * as v from "valibot";
import { forgetConnection, forgetPages } from "../connections/forget";
import { listPage } from "../connections/list";
import { inBackground, readConnection } from "../connections/read";
import { todayRead, todayReadQuerySchema } from "../connections/read-request";
import { connectionJson, connectionListItem, connectionObject, JSON_TYPE } from "../connections/view";
import { keyringFrom } from "../crypto/cipher";
import { database } from "../db/client";
import { deleteConnection, insertConnection } from "../db/connections";
import type { AppEnv } from "../env";
import { parseInput, readJson } from "../input/body";
import { connectionIdSchema, providerConfigKeySchema } from "../input/identifiers";
import { pagingEntries } from "../input/paging";
import { importBodySchema, toConnectionInput } from "./connection-body";

const listQuerySchema = v.object({
	connectionId: v.optional(connectionIdSchema),
	// Today's client joins several integration ids with commas.
	integrationId: v.optional(
		v.pipe(
			v.string(),
			v.transform((value) => value.split(",")),
			v.array(providerConfigKeySchema),
			v.maxLength(100),
		),
	),
	// `limit` and `page` as today's Nango pages this list (docs/api.md#paging).
	...pagingEntries,
});

export const connectionsRoutes = new Hono<AppEnv>()
	.get("/", async (c) => {
		const query = parseInput(listQuerySchema, c.req.query(), "invalid_query");
		const rows = await listPage(
			c.env,
			{ connectionId: query.connectionId, providerConfigKeys: query.integrationId },
			query,
		);
		return c.json({ connections: rows.map(connectionListItem) });
	})
	.get("/:connection_id", async (c) => {
		const connectionId = parseInput(connectionIdSchema, c.req.param("connection_id"), "invalid_query");
		const read = todayRead(parseInput(todayReadQuerySchema, c.req.query(), "invalid_query"));
		const connection = await readConnection(c.env, read.providerConfigKey, connectionId, {
			forceRefresh: read.forceRefresh,
			waitUntil: inBackground(c),
		});
		return c.body(connectionJson(connection, read.shape), 200, JSON_TYPE);
	})
	// Today's Nango imports here too, `credentials: {type, …}` for any auth mode.
	.post("/", async (c) => {
		const input = toConnectionInput(await readJson(c.req.raw, importBodySchema));
		const stored = await insertConnection(database(c.env.DB), await keyringFrom(c.env), input);
		forgetPages();
		return c.json(connectionObject(stored, { includeRefreshToken: true }), 201);
	})
	.delete("/:connection_id", async (c) => {
		const connectionId = parseInput(connectionIdSchema, c.req.param("connection_id"), "invalid_query");
		const key = parseInput(providerConfigKeySchema, c.req.query("provider_config_key"), "invalid_query");
		await deleteConnection(database(c.env.DB), key, connectionId);
		await forgetConnection(c.env, key, connectionId);
		return c.json({ success: true });
	});
