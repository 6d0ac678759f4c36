/**
 * Operator routes: key rotation (docs/api.md#key-rotation). `POST /admin/rotate-keys` re-seals every secret that
 * an old key sealed under NANGO_ENCRYPTION_KEY; it is idempotent and safe to rerun.
 */
import { Hono } from "hono";
import { keyringFrom } from "../crypto/cipher";
import { database } from "../db/client";
import { resealAll } from "../db/rotation";
import type { AppEnv } from "../env";

export const adminRoutes = new Hono<AppEnv>().post("/rotate-keys", async (c) => {
	const result = await resealAll(database(c.env.DB), await keyringFrom(c.env));
	return c.json({
		resealed: { configs: result.configs, connections: result.connections },
		key_id: result.kid,
	});
});
