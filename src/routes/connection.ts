/**
 * Connections, early shape (docs/api.md#connections) and the Pizzly document's form (docs/api.md#pizzly-form, `?integration_key=`).
 */
import { Hono } from "hono";
import * as v from "valibot";
import { forgetConnection, forgetPages } from "../connections/forget";
import { listPage } from "../connections/list";
import { inBackground, readConnection } from "../connections/read";
import { earlyRead, earlyReadQuerySchema } from "../connections/read-request";
import { connectionJson, connectionListItem, connectionObject, JSON_TYPE } from "../connections/view";
import { keyringFrom } from "../crypto/cipher";
import { database } from "../db/client";
import { deleteConnection, insertConnection } from "../db/connections";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { parseInput, readJson } from "../input/body";
import { connectionIdSchema, providerConfigKeySchema } from "../input/identifiers";
import { pagingEntries } from "../input/paging";
import { importBodySchema, toConnectionInput } from "./connection-body";

/** The early list had no paging: paged now so it never builds every row; an early client sees the first page. */
const listQuerySchema = v.object(pagingEntries);

export const connectionRoutes = new Hono<AppEnv>()
	.get("/", async (c) => {
		const paging = parseInput(listQuerySchema, c.req.query(), "invalid_query");
		const rows = await listPage(c.env, {}, paging);
		return c.json({ connections: rows.map(connectionListItem) });
	})
	.get("/:connection_id", async (c) => {
		const connectionId = parseInput(connectionIdSchema, c.req.param("connection_id"), "invalid_query");
		const read = earlyRead(parseInput(earlyReadQuerySchema, c.req.query(), "invalid_query"));
		if (!read.providerConfigKey) throw new ApiError("missing_provider_config");
		const connection = await readConnection(c.env, read.providerConfigKey, connectionId, {
			forceRefresh: read.forceRefresh,
			waitUntil: inBackground(c),
		});
		return c.body(connectionJson(connection, read.shape), 200, JSON_TYPE);
	})
	.delete("/:connection_id", async (c) => {
		const connectionId = parseInput(connectionIdSchema, c.req.param("connection_id"), "invalid_query");
		const key = parseInput(
			providerConfigKeySchema,
			c.req.query("provider_config_key") ?? c.req.query("integration_key"),
			"invalid_query",
		);
		await deleteConnection(database(c.env.DB), key, connectionId);
		await forgetConnection(c.env, key, connectionId);
		return c.json({ result: "ok" });
	})
	.post("/", async (c) => {
		const input = toConnectionInput(await readJson(c.req.raw, importBodySchema));
		const stored = await insertConnection(database(c.env.DB), await keyringFrom(c.env), input);
		forgetPages();
		return c.json(connectionObject(stored, { includeRefreshToken: true }), 201);
	});
