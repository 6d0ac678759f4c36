/**
 * The OAuth dance (docs/flows.md#connect): `GET /oauth/connect/:provider_config_key` sends the user's popup to
 * the provider; `GET /oauth/callback` finishes and reports through every result channel (§4.1).
 * Both answer pages, never JSON: a person is looking at them.
 */
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { setFlowCookie, takeFlowCookie } from "../flow/browser-binding";
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
		setFlowCookie(c, started.state, started.cookie);
		c.header("Cache-Control", "no-store");
		c.header("Referrer-Policy", "no-referrer");
		return c.redirect(started.location, 302);
	})
	.get("/callback", async (c) => {
		const outcome = await finishFlow(c.env, new URL(c.req.url).searchParams, (state) =>
			takeFlowCookie(c, state),
		);
		const page = await reportOutcome(c.env, outcome);
		// The page is built apart from the context: carry the cookie removal over to it.
		for (const cookie of c.res.headers.getSetCookie()) page.headers.append("Set-Cookie", cookie);
		return page;
	});
