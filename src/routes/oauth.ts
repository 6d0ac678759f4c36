/**
 * The OAuth dance (docs/flows.md#connect): `GET /oauth/connect/:provider_config_key` sends the user's popup to
 * the provider; `GET /oauth/callback` finishes and reports through every result channel (§4.1).
 * Both answer pages, never JSON: a person is looking at them.
 */
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { finishFlow } from "../flow/callback";
import { startFlow } from "../flow/connect";
import { reportOutcome } from "../flow/report";

export const oauthRoutes = new Hono<AppEnv>()
	.get("/connect/:provider_config_key", async (c) => {
		const started = await startFlow(c.env, {
			providerConfigKey: c.req.param("provider_config_key"),
			url: c.req.url,
		});
		if (!started.ok) return reportOutcome(c.env, started);
		return new Response(null, {
			status: 302,
			headers: { Location: started.location, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" },
		});
	})
	.get("/callback", async (c) =>
		reportOutcome(c.env, await finishFlow(c.env, new URL(c.req.url).searchParams)),
	);
