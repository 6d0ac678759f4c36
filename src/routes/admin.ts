/**
 * Operator routes: key rotation (docs/api.md#key-rotation). `POST /admin/rotate-keys` re-seals
 * under NANGO_ENCRYPTION_KEY one page of the secrets an old key sealed; repeat it until it
 * answers `done` (nothing re-sealed). Idempotent and safe to rerun or run concurrently.
 */
import { Hono } from "hono";
import { keyringFrom } from "../crypto/cipher";
import { database } from "../db/client";
import { resealPage } from "../db/rotation";
import type { AppEnv } from "../env";

export const adminRoutes = new Hono<AppEnv>().post("/rotate-keys", async (c) => {
	const page = await resealPage(database(c.env.DB), await keyringFrom(c.env));
	return c.json({
		resealed: { configs: page.configs, connections: page.connections, sessions: page.sessions },
		key_id: page.kid,
		done: page.done,
	});
});
