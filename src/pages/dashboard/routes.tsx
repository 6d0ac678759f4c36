/**
 * The operator dashboard at `/dashboard` (docs/dashboard.md): server-rendered pages, plain HTML
 * forms, no script. Every page but sign-in needs a signed-in session; every POST needs the
 * session's CSRF token. What it changes goes through the same functions as the REST routes, so
 * the two can never disagree about what is valid.
 */
import { type Context, Hono } from "hono";
import { raw } from "hono/html";
import type { FC } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { readCappedText } from "../../capped-text";
import { forgetConfig, forgetConnection } from "../../connections/forget";
import { readConnection } from "../../connections/read";
import { keyringFrom } from "../../crypto/cipher";
import { matchesSecret } from "../../crypto/compare";
import { database } from "../../db/client";
import { createConfig, deleteConfig, findConfig, listConfigs, updateConfig } from "../../db/configs";
import { deleteConnection } from "../../db/connections";
import { connectionCounts, dashboardConnections } from "../../db/dashboard";
import type { AppEnv } from "../../env";
import { ApiError } from "../../errors";
import { parseInput } from "../../input/body";
import { asApiError } from "../../known-errors";
import { listTemplates } from "../../providers/catalog";
import { configBodySchema, toConfigInput } from "../../routes/config-body";
import { STYLESHEET } from "../styles";
import { CatalogPage } from "./catalog";
import { ConnectionsPage } from "./connections";
import { IntegrationFormPage, type IntegrationFormValues, IntegrationsPage } from "./integrations";
import {
	currentSession,
	type DashboardSession,
	endSession,
	openLocally,
	signingSecret,
	startSession,
	validCsrf,
} from "./session";
import { SignInPage } from "./sign-in";

type DashboardEnv = AppEnv & {
	Variables: AppEnv["Variables"] & { dashboard: DashboardSession; dashboardForm: URLSearchParams };
};
type Ctx = Context<DashboardEnv>;

/** Forms are small: anything larger is refused before it is read whole. */
const MAX_FORM_BYTES = 64 * 1024;
const CSP =
	"default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export const dashboardRoutes = new Hono<DashboardEnv>();

dashboardRoutes.use("*", async (c, next) => {
	await next();
	c.header("Content-Security-Policy", CSP);
	c.header("X-Content-Type-Options", "nosniff");
	c.header("Referrer-Policy", "same-origin");
	c.header("Cache-Control", "no-store");
});

dashboardRoutes.get("/style.css", (c) =>
	c.body(STYLESHEET, 200, { "content-type": "text/css; charset=utf-8" }),
);

dashboardRoutes.get("/sign-in", (c) => page(c, <SignInPage open={openLocally(c)} />));

dashboardRoutes.post("/sign-in", async (c) => {
	const secret = signingSecret(c);
	if (!secret) return unavailable(c);
	const form = await formOf(c);
	const configured = c.env.NANGO_SECRET_KEY?.trim();
	if (configured && !matchesSecret(form.get("key") ?? "", configured)) {
		return page(c, <SignInPage open={false} error="That is not this worker's secret key." />, 401);
	}
	await startSession(c, secret);
	return c.redirect("/dashboard/integrations", 303);
});

// Everything below needs a session; every POST its CSRF token.
dashboardRoutes.use("*", async (c, next) => {
	const secret = signingSecret(c);
	if (!secret) return unavailable(c);
	const session = await currentSession(c, secret);
	if (!session) {
		if (c.req.method === "GET") return c.redirect("/dashboard/sign-in", 303);
		return page(c, <SignInPage open={openLocally(c)} error="Your session ended: sign in again." />, 401);
	}
	if (c.req.method === "POST") {
		const form = await formOf(c);
		if (!validCsrf(session, form.get("csrf"))) {
			return c.html(
				<p role="alert">
					This form is out of date or did not come from the dashboard: go back, reload it and try again.
				</p>,
				403,
			);
		}
	}
	c.set("dashboard", session);
	return next();
});

dashboardRoutes.get("/", (c) => c.redirect("/dashboard/integrations", 303));

dashboardRoutes.post("/sign-out", (c) => {
	endSession(c);
	return c.redirect("/dashboard/sign-in", 303);
});

dashboardRoutes.get("/integrations", async (c) => {
	const db = database(c.env.DB);
	const [configs, counts] = await Promise.all([listConfigs(db), connectionCounts(db)]);
	const notice = c.req.query("notice");
	return page(
		c,
		<IntegrationsPage
			csrf={csrf(c)}
			configs={configs}
			counts={counts}
			{...(notice ? { notice: NOTICES[notice as keyof typeof NOTICES] ?? "" } : {})}
		/>,
	);
});

dashboardRoutes.get("/integrations/new", (c) =>
	page(
		c,
		<IntegrationFormPage
			csrf={csrf(c)}
			providers={listTemplates()}
			values={{ provider: c.req.query("provider") ?? "" }}
		/>,
	),
);

dashboardRoutes.post("/integrations", async (c) => {
	const form = await formOf(c);
	const values = formValues(form);
	try {
		const input = await toConfigInput(parseInput(configBodySchema, configBody(form), "invalid_body"));
		await createConfig(database(c.env.DB), await keyringFrom(c.env), input);
	} catch (error) {
		const known = asApiError(error);
		if (!known) throw error;
		return page(
			c,
			<IntegrationFormPage
				csrf={csrf(c)}
				providers={listTemplates()}
				values={values}
				error={known.message}
			/>,
			known.status,
		);
	}
	return c.redirect("/dashboard/integrations?notice=created", 303);
});

dashboardRoutes.get("/integrations/:key", async (c) => editPage(c, c.req.param("key")));

dashboardRoutes.post("/integrations/:key/reveal", async (c) =>
	editPage(c, c.req.param("key"), { reveal: true }),
);

dashboardRoutes.post("/integrations/:key", async (c) => {
	const key = c.req.param("key");
	const db = database(c.env.DB);
	const keyring = await keyringFrom(c.env);
	const stored = await findConfig(db, keyring, key);
	if (!stored) return notFound(c);
	const form = await formOf(c);
	// An empty secret field keeps the stored secret: it is never sent to the page to be sent back.
	if (!form.get("oauth_client_secret")) form.set("oauth_client_secret", stored.oauthClientSecret);
	form.set("provider_config_key", key);
	try {
		const input = await toConfigInput(parseInput(configBodySchema, configBody(form), "invalid_body"));
		await updateConfig(db, keyring, input);
	} catch (error) {
		const known = asApiError(error);
		if (!known) throw error;
		return editPage(c, key, { error: known.message, status: known.status });
	}
	forgetConfig(key);
	return c.redirect("/dashboard/integrations?notice=saved", 303);
});

dashboardRoutes.post("/integrations/:key/delete", async (c) => {
	const key = c.req.param("key");
	const form = await formOf(c);
	try {
		await deleteConfig(database(c.env.DB), key, form.get("confirm") === "yes");
	} catch (error) {
		const known = asApiError(error);
		if (!known) throw error;
		return editPage(c, key, { error: known.message, status: known.status });
	}
	forgetConfig(key);
	return c.redirect("/dashboard/integrations?notice=deleted", 303);
});

dashboardRoutes.get("/connections", async (c) => connectionsPage(c));

dashboardRoutes.post("/connections/delete", async (c) => {
	const form = await formOf(c);
	const key = form.get("key") ?? "";
	const id = form.get("id") ?? "";
	try {
		await deleteConnection(database(c.env.DB), key, id);
	} catch (error) {
		const known = asApiError(error);
		if (!known) throw error;
		return connectionsPage(c, { kind: "error", text: known.message }, known.status);
	}
	await forgetConnection(c.env, key, id);
	return connectionsPage(c, { kind: "ok", text: `Deleted ${id} (${key}).` });
});

dashboardRoutes.post("/connections/refresh", async (c) => {
	const form = await formOf(c);
	const key = form.get("key") ?? "";
	const id = form.get("id") ?? "";
	try {
		await readConnection(c.env, key, id, { forceRefresh: true });
	} catch (error) {
		const known = asApiError(error);
		if (!known) throw error;
		return connectionsPage(
			c,
			{ kind: "error", text: `Refreshing ${id} failed: ${known.message}` },
			known.status,
		);
	}
	return connectionsPage(c, { kind: "ok", text: `Refreshed ${id} (${key}).` });
});

dashboardRoutes.get("/catalog", (c) => {
	const search = (c.req.query("q") ?? "").trim().toLowerCase();
	const all = listTemplates();
	const matching = search
		? all.filter(
				([key, template]) => key.includes(search) || (template.name ?? "").toLowerCase().includes(search),
			)
		: all;
	return page(c, <CatalogPage csrf={csrf(c)} templates={matching} search={search} total={all.length} />);
});

const NOTICES = {
	created: "Integration created.",
	saved: "Integration saved.",
	deleted: "Integration deleted.",
} as const;

function csrf(c: Ctx): string {
	return c.get("dashboard").csrf;
}

function page(c: Ctx, element: ReturnType<FC>, status: ContentfulStatusCode = 200) {
	return c.html(
		<>
			{raw("<!doctype html>")}
			{element}
		</>,
		status,
	);
}

async function editPage(
	c: Ctx,
	key: string,
	options: { reveal?: boolean; error?: string; status?: number } = {},
) {
	const db = database(c.env.DB);
	const config = await findConfig(db, await keyringFrom(c.env), key);
	if (!config) return notFound(c);
	const connections = (await connectionCounts(db)).get(key) ?? 0;
	const values: IntegrationFormValues = {
		provider_config_key: config.uniqueKey,
		provider: config.provider,
		oauth_client_id: config.oauthClientId,
		oauth_scopes: config.oauthScopes.join(","),
		...(config.template?.authorization_url ? { authorization_url: config.template.authorization_url } : {}),
		...(config.template?.token_url ? { token_url: config.template.token_url } : {}),
	};
	return page(
		c,
		<IntegrationFormPage
			csrf={csrf(c)}
			providers={listTemplates()}
			values={values}
			editing={{ key, connections, ...(options.reveal ? { secret: config.oauthClientSecret } : {}) }}
			{...(options.error ? { error: options.error } : {})}
		/>,
		(options.status ?? 200) as ContentfulStatusCode,
	);
}

async function connectionsPage(c: Ctx, notice?: { kind: "ok" | "error"; text: string }, status = 200) {
	const search = (c.req.query("q") ?? "").trim().slice(0, 255);
	const integration = (c.req.query("integration") ?? "").trim().slice(0, 255);
	const pageNumber = Math.max(0, Math.min(10_000, Number.parseInt(c.req.query("page") ?? "0", 10) || 0));
	const { rows, more } = await dashboardConnections(database(c.env.DB), {
		search,
		...(integration ? { providerConfigKey: integration } : {}),
		page: pageNumber,
	});
	return page(
		c,
		<ConnectionsPage
			csrf={csrf(c)}
			rows={rows}
			search={search}
			integration={integration}
			page={pageNumber}
			more={more}
			notice={notice}
		/>,
		status as ContentfulStatusCode,
	);
}

function notFound(c: Ctx) {
	return c.html(<p role="alert">No such integration.</p>, 404);
}

function unavailable(c: Ctx) {
	return c.html(
		<p role="alert">
			This worker has no secret key (NANGO_SECRET_KEY): the dashboard is served on localhost only.
		</p>,
		503,
	);
}

/** The request's form fields, read once (the CSRF check and the handler share them). */
async function formOf(c: Ctx): Promise<URLSearchParams> {
	const cached = c.get("dashboardForm");
	if (cached) return cached;
	const declared = Number(c.req.header("content-length") ?? "0");
	if (declared > MAX_FORM_BYTES) throw new ApiError("payload_too_large");
	const text = await readCappedText(c.req.raw.body, MAX_FORM_BYTES);
	if (text === undefined) throw new ApiError("payload_too_large");
	const form = new URLSearchParams(text);
	c.set("dashboardForm", form);
	return form;
}

/** What the integration form shows again after a refusal (never the secret). */
function formValues(form: URLSearchParams): IntegrationFormValues {
	const values: IntegrationFormValues = {};
	for (const name of [
		"provider_config_key",
		"provider",
		"oauth_client_id",
		"oauth_scopes",
		"authorization_url",
		"token_url",
	] as const) {
		const value = form.get(name);
		if (value) values[name] = value;
	}
	return values;
}

/** The form as the body `POST /config` takes: empty fields left out. */
function configBody(form: URLSearchParams): Record<string, string> {
	const body: Record<string, string> = {};
	for (const name of [
		"provider_config_key",
		"provider",
		"oauth_client_id",
		"oauth_client_secret",
		"oauth_scopes",
		"authorization_url",
		"token_url",
	]) {
		const value = form.get(name)?.trim();
		if (value) body[name] = value;
	}
	return body;
}
