// `ALL /proxy/*` (docs/proxy.md): which headers cross, paths that cannot leave the base URL, the
// Base-Url-Override allow-list, one refresh after a 401 (shared by concurrent callers), retries
// as the provider asks, redirects handed back unfollowed. The provider's API is mocked at its URL.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { readConnection } from "../../src/connections/read";
import type { Bindings } from "../../src/env";
import { MAX_WAIT_MS, retryWait } from "../../src/proxy/retry";
import { call, importConnection, unique } from "./support/api";
import { HttpResponse, http, useProviderMocks } from "./support/provider-mocks";
import { connection, countingRefresher, holdAnswers, provider, tokens, until } from "./support/refresh";

const server = useProviderMocks();

interface Seen {
	method: string;
	url: URL;
	headers: Headers;
	body: string;
}

/** The provider's API at its own URL, answering with `answer`; every request it got, in order. */
function api(base: string, answer: (seen: Seen, index: number) => Response | Promise<Response>) {
	const seen: Seen[] = [];
	server.use(
		http.all(`${base}/*`, async ({ request }) => {
			const entry = {
				method: request.method,
				url: new URL(request.url),
				headers: request.headers,
				body: await request.text(),
			};
			seen.push(entry);
			return answer(entry, seen.length - 1);
		}),
	);
	return seen;
}

/** An integration whose API is at https://<key>.api.test/v1 and one connection (at-1 / rt-1). */
async function setup(fields: Record<string, unknown> = {}) {
	const key = unique("proxy");
	const base = `https://${key}.api.test`;
	const idp = await provider(server, { proxy: { base_url: `${base}/v1` }, ...fields });
	const connectionId = await connection(idp.key, 3600_000);
	return {
		idp,
		base,
		connectionId,
		headers: { "Provider-Config-Key": idp.key, "Connection-Id": connectionId },
	};
}

interface ProxyOptions {
	headers?: Record<string, string>;
	body?: BodyInit;
	env?: Partial<Bindings>;
}

/** A call through the worker's entry (support/api.ts), as a deployed request arrives. */
function proxy(method: string, path: string, options: ProxyOptions = {}) {
	return call(method, path, {
		headers: options.headers ?? {},
		...(options.env ? { env: options.env } : {}),
		...(options.body !== undefined ? { rawBody: options.body } : {}),
	});
}

describe("headers", () => {
	it("sends only Nango-Proxy-* headers and the body's type up, with the connection's token", async () => {
		const { base, headers } = await setup();
		const seen = api(base, () =>
			HttpResponse.json(
				{ created: true },
				{
					status: 201,
					headers: { "x-request-id": "r-1", "set-cookie": "session=provider-session; HttpOnly" },
				},
			),
		);
		const answer = await proxy("POST", "/proxy/repos/a/issues?state=open&q=x+y", {
			headers: {
				...headers,
				"Nango-Proxy-X-Custom": "custom-value",
				"Nango-Proxy-Accept": "application/vnd.github+json",
				"Content-Type": "application/json",
				Cookie: "worker-session=caller-cookie",
				"X-Other": "not-forwarded",
				Retries: "0",
			},
			body: JSON.stringify({ title: "hello" }),
		});

		expect(answer.status).toBe(201);
		expect(answer.json).toEqual({ created: true });
		expect(answer.headers.get("x-request-id")).toBe("r-1");
		expect(answer.headers.get("set-cookie")).toBeNull();
		expect(seen).toHaveLength(1);
		const [request] = seen;
		expect(request?.method).toBe("POST");
		expect(request?.url.href).toBe(`${base}/v1/repos/a/issues?state=open&q=x+y`);
		expect(request?.body).toBe('{"title":"hello"}');
		const sent = Object.fromEntries(request?.headers ?? []);
		expect(sent.authorization).toBe("Bearer at-1");
		expect(sent["x-custom"]).toBe("custom-value");
		expect(sent.accept).toBe("application/vnd.github+json");
		expect(sent["content-type"]).toBe("application/json");
		// nothing else the caller sent: not its secret key, cookies, other or control headers
		for (const name of ["cookie", "x-other", "retries", "connection-id", "provider-config-key"]) {
			expect(sent[name], name).toBeUndefined();
		}
		expect(JSON.stringify(sent)).not.toContain("test-secret-key");
	});

	it("answers 400 in today's shape when Connection-Id or Provider-Config-Key is missing, 404 for an unknown connection", async () => {
		const { base, idp, connectionId } = await setup();
		const seen = api(base, () => HttpResponse.json({}));
		const noId = await proxy("GET", "/proxy/user", { headers: { "Provider-Config-Key": idp.key } });
		expect(noId.status).toBe(400);
		expect(noId.json).toEqual({ error: { code: "missing_connection_id", message: expect.any(String) } });
		const noKey = await proxy("GET", "/proxy/user", { headers: { "Connection-Id": connectionId } });
		expect(noKey.status).toBe(400);
		expect(noKey.json.error.code).toBe("missing_provider_config");
		const unknown = await proxy("GET", "/proxy/user", {
			headers: { "Provider-Config-Key": idp.key, "Connection-Id": "nobody" },
		});
		expect(unknown.status).toBe(404);
		expect(unknown.json.error.code).toBe("unknown_connection");
		const badRetries = await proxy("GET", "/proxy/user", {
			headers: { "Provider-Config-Key": idp.key, "Connection-Id": connectionId, Retries: "11" },
		});
		expect(badRetries.status).toBe(400);
		expect(badRetries.json.error.code).toBe("invalid_proxy_header");
		const noSecret = await proxy("GET", "/proxy/user", {
			headers: {
				authorization: "Bearer wrong",
				"Provider-Config-Key": idp.key,
				"Connection-Id": connectionId,
			},
		});
		expect(noSecret.status).toBe(401);
		expect(noSecret.json.error.code).toBe("invalid_secret_key");
		expect(seen).toHaveLength(0);
	});
});

describe("where the call goes", () => {
	it("refuses paths that would leave the base URL, with no upstream call", async () => {
		const { base, headers } = await setup();
		const seen = api(base, () => HttpResponse.json({}));
		server.use(http.all("https://evil.test/*", () => HttpResponse.json({ stolen: true })));
		// dot segments the URL parser does not resolve itself reach the route and are refused
		for (const path of [
			"/proxy/%252e%252e/admin",
			"/proxy/v2/%252E%252E/%252e%252e/admin",
			"/proxy/a%5c..%5cadmin",
			"/proxy/a%255c..%255cadmin",
			"/proxy/%zz",
		]) {
			const answer = await proxy("GET", path, { headers });
			expect(answer.status, path).toBe(400);
			expect(answer.json.error.code, path).toBe("invalid_proxy_path");
		}
		// `..` and `%2e%2e` are resolved by the URL parser before routing: out of /proxy, no route
		for (const path of ["/proxy/../admin", "/proxy/%2e%2e/admin", "/proxy/%2E%2e/%2e%2E/x"]) {
			const answer = await proxy("GET", path, { headers });
			expect(answer.status, path).toBe(404);
		}
		expect(seen).toHaveLength(0);
		// a host in the path stays a path under the base URL, never a host
		for (const path of ["/proxy//evil.test/x", "/proxy/%2f%2fevil.test/x", "/proxy/https:%2f%2fevil.test"]) {
			const answer = await proxy("GET", path, { headers });
			expect(answer.status, path).toBe(200);
		}
		expect(seen.map((request) => request.url.origin)).toEqual([base, base, base]);
		expect(seen.every((request) => request.url.pathname.startsWith("/v1/"))).toBe(true);
	});

	it("honours Base-Url-Override only for hosts in NANGO_PROXY_ALLOWED_HOSTS", async () => {
		const { base, headers } = await setup();
		const seen = api(base, () => HttpResponse.json({ from: "template" }));
		const other = api("https://eu.other.test", () => HttpResponse.json({ from: "override" }));
		const override = { ...headers, "Base-Url-Override": "https://eu.other.test/api" };

		const refused = await proxy("GET", "/proxy/user", { headers: override });
		expect(refused.status).toBe(400);
		expect(refused.json.error.code).toBe("base_url_override_not_allowed");
		const elsewhere = await proxy("GET", "/proxy/user", {
			headers: override,
			env: { NANGO_PROXY_ALLOWED_HOSTS: "api.example.com, other.test" },
		});
		expect(elsewhere.status).toBe(400);
		const plainHttp = await proxy("GET", "/proxy/user", {
			headers: { ...headers, "Base-Url-Override": "http://eu.other.test/api" },
			env: { NANGO_PROXY_ALLOWED_HOSTS: "eu.other.test" },
		});
		expect(plainHttp.status).toBe(400);
		expect(plainHttp.json.error.code).toBe("invalid_endpoint");
		expect(other).toHaveLength(0);

		const allowed = await proxy("GET", "/proxy/user", {
			headers: override,
			env: { NANGO_PROXY_ALLOWED_HOSTS: "api.example.com, EU.other.test" },
		});
		expect(allowed.json).toEqual({ from: "override" });
		expect(other[0]?.url.href).toBe("https://eu.other.test/api/user");
		expect(other[0]?.headers.get("authorization")).toBe("Bearer at-1");
		// the empty header the published client always sends means "no override"
		const empty = await proxy("GET", "/proxy/user", { headers: { ...headers, "Base-Url-Override": "" } });
		expect(empty.json).toEqual({ from: "template" });
		expect(seen).toHaveLength(1);
	});

	it("hands a redirect back as it is, never following it with the credentials", async () => {
		const { base, headers } = await setup();
		const seen = api(base, () =>
			HttpResponse.text("", { status: 302, headers: { location: "https://evil.test/steal" } }),
		);
		const evil: string[] = [];
		server.use(
			http.all("https://evil.test/*", ({ request }) => {
				evil.push(request.headers.get("authorization") ?? "");
				return HttpResponse.text("gotcha");
			}),
		);
		const answer = await proxy("GET", "/proxy/moved", { headers: { ...headers, Retries: "3" } });
		expect(answer.status).toBe(302);
		expect(answer.headers.get("location")).toBe("https://evil.test/steal");
		expect(seen).toHaveLength(1);
		expect(evil).toEqual([]);
	});
});

describe("a 401 from the provider", () => {
	it("refreshes the token once through the connection's object and retries with the new one", async () => {
		const { idp, base, connectionId, headers } = await setup();
		idp.respond(() => tokens("at-2", "rt-2"));
		const seen = api(base, ({ headers: sent }) =>
			sent.get("authorization") === "Bearer at-2"
				? HttpResponse.json({ login: "alice" })
				: HttpResponse.json({ message: "Bad credentials" }, { status: 401 }),
		);
		const answer = await proxy("PUT", "/proxy/user", {
			// as an HTTP client sends it: a body of known length, small enough to keep for a replay
			headers: { ...headers, "Content-Type": "text/plain", "Content-Length": "20" },
			body: "small body, replayed",
		});
		expect(answer.status).toBe(200);
		expect(answer.json).toEqual({ login: "alice" });
		expect(idp.calls).toHaveLength(1);
		expect(seen.map((request) => request.headers.get("authorization"))).toEqual([
			"Bearer at-1",
			"Bearer at-2",
		]);
		expect(seen.map((request) => request.body)).toEqual(["small body, replayed", "small body, replayed"]);
		// the new token is the connection's now
		const read = await proxy("GET", `/connection/${connectionId}?provider_config_key=${idp.key}`);
		expect(read.json.credentials.access_token).toBe("at-2");
	});

	it("is shared by concurrent callers: one refresh for all of them", async () => {
		const { idp, base, headers } = await setup();
		const held = holdAnswers(idp);
		const seen = api(base, ({ headers: sent }) =>
			sent.get("authorization") === "Bearer at-2"
				? HttpResponse.json({ ok: true })
				: HttpResponse.json({}, { status: 401 }),
		);
		const refresher = countingRefresher();
		const callers = 8;
		const calls = Array.from({ length: callers }, () =>
			proxy("GET", "/proxy/user", { headers, env: refresher.env }),
		);
		// every caller got its 401 and asked the connection's object while the refresh is held
		await until(() => refresher.counted.stubs >= callers);
		// The stub exists once its call is sent; give the calls time to reach the object (generous
		// on a loaded machine) before the provider answers.
		await new Promise((resolve) => setTimeout(resolve, 250));
		held.release();
		const answers = await Promise.all(calls);
		expect(answers.map((answer) => answer.status)).toEqual(Array(callers).fill(200));
		expect(idp.calls).toHaveLength(1);
		expect(seen.filter((request) => request.headers.get("authorization") === "Bearer at-1")).toHaveLength(
			callers,
		);
	});

	it("makes no second refresh for a 401 that arrives after the refused token was replaced", async () => {
		const { idp, connectionId } = await setup();
		idp.respond((_, i) => tokens(`at-${i + 2}`, `rt-${i + 2}`));
		const read = (refusedToken: string) =>
			readConnection(env, idp.key, connectionId, { forceRefresh: true, refusedToken });
		// The first caller's 401 for at-1: one refresh.
		expect((await read("at-1")).credentials).toMatchObject({ access_token: "at-2" });
		expect(idp.calls).toHaveLength(1);
		// A late 401 for the same at-1: the connection holds at-2 already, the provider is not asked.
		expect((await read("at-1")).credentials).toMatchObject({ access_token: "at-2" });
		expect(idp.calls).toHaveLength(1);
		// A 401 for the current token does refresh.
		expect((await read("at-2")).credentials).toMatchObject({ access_token: "at-3" });
		expect(idp.calls).toHaveLength(2);
	});

	it("comes back as it is when the connection cannot refresh, or the body was streamed", async () => {
		const { idp, base } = await setup();
		idp.respond(() => tokens("at-2", "rt-2"));
		const seen = api(base, () => HttpResponse.json({ message: "Bad credentials" }, { status: 401 }));
		// OAuth 1.0a tokens and OAuth 2 tokens without a refresh token cannot be renewed
		const oauth1 = unique("oauth1");
		await importConnection(idp.key, oauth1, {
			access_token: undefined,
			refresh_token: undefined,
			oauth_token: "ot",
			oauth_token_secret: "ots",
		});
		const noRefresh = unique("no-refresh");
		await importConnection(idp.key, noRefresh, { refresh_token: undefined });
		for (const connectionId of [oauth1, noRefresh]) {
			const answer = await proxy("GET", "/proxy/user", {
				headers: { "Provider-Config-Key": idp.key, "Connection-Id": connectionId },
			});
			expect(answer.status).toBe(401);
			expect(answer.json).toEqual({ message: "Bad credentials" });
		}
		// a body of unknown length streams through once: nothing is left to replay
		const streamed = await connection(idp.key, 3600_000);
		const answer = await proxy("POST", "/proxy/upload", {
			headers: { "Provider-Config-Key": idp.key, "Connection-Id": streamed },
			body: new Blob(["streamed body"]).stream(),
		});
		expect(answer.status).toBe(401);
		expect(seen.at(-1)?.body).toBe("streamed body");
		expect(seen).toHaveLength(3);
		expect(idp.calls).toHaveLength(0);
	});
});

describe("retries", () => {
	it("retries 429 and 5xx up to Retries times, waiting as Retry-After says", async () => {
		const { base, headers } = await setup();
		const answers = [
			HttpResponse.json({}, { status: 429, headers: { "retry-after": "0" } }),
			HttpResponse.json({}, { status: 503, headers: { "retry-after": new Date(0).toUTCString() } }),
			HttpResponse.json({ third: true }),
		];
		const seen = api(base, (_, index) => answers[index] ?? HttpResponse.json({}, { status: 500 }));
		const answer = await proxy("GET", "/proxy/limited", { headers: { ...headers, Retries: "2" } });
		expect(answer.status).toBe(200);
		expect(answer.json).toEqual({ third: true });
		expect(seen).toHaveLength(3);
	});

	it("stops after Retries attempts, retries Retry-On statuses, and never retries by default", async () => {
		const { base, headers } = await setup();
		const seen = api(base, (request) =>
			request.url.pathname.endsWith("/conflict")
				? HttpResponse.json({}, { status: 409, headers: { "retry-after": "0" } })
				: HttpResponse.json({ busy: true }, { status: 503, headers: { "retry-after": "0" } }),
		);
		const once = await proxy("GET", "/proxy/busy", { headers: { ...headers, Retries: "1" } });
		expect(once.status).toBe(503);
		expect(once.json).toEqual({ busy: true });
		expect(seen).toHaveLength(2);
		const none = await proxy("GET", "/proxy/busy", { headers });
		expect(none.status).toBe(503);
		expect(seen).toHaveLength(3);
		const conflict = await proxy("GET", "/proxy/conflict", {
			headers: { ...headers, Retries: "2", "Retry-On": "409, 423" },
		});
		expect(conflict.status).toBe(409);
		expect(seen).toHaveLength(6);
		// a streamed body is sent once, whatever Retries says
		const streamed = await proxy("POST", "/proxy/busy", {
			headers: { ...headers, Retries: "3" },
			body: new Blob(["once"]).stream(),
		});
		expect(streamed.status).toBe(503);
		expect(seen).toHaveLength(7);
	});

	it("waits as the template's rate-limit headers or Retry-After say, else backs off, never past the cap", () => {
		const now = Date.parse("2026-12-01T00:00:00Z");
		const wait = (headers: Record<string, string>, fields?: { after?: string; at?: string }, attempt = 0) =>
			retryWait(new Headers(headers), fields, attempt, now, () => 0.5);
		expect(wait({ "retry-after": "3" })).toBe(3000);
		expect(wait({ "retry-after": new Date(now + 4000).toUTCString() })).toBe(4000);
		expect(wait({ "retry-after": new Date(now - 4000).toUTCString() })).toBe(0);
		expect(wait({ "retry-after": "3600" })).toBe(MAX_WAIT_MS);
		expect(wait({ "x-wait": "2", "retry-after": "5" }, { after: "x-wait" })).toBe(2000);
		expect(wait({ "x-reset": String((now + 6000) / 1000) }, { at: "x-reset" })).toBe(6000);
		expect(wait({ "x-reset": new Date(now + 7000).toISOString() }, { at: "x-reset" })).toBe(7000);
		// exponential with jitter: each step doubles, within [step/2, step], capped
		expect(wait({}, undefined, 0)).toBe(150);
		expect(wait({}, undefined, 3)).toBe(1200);
		expect(retryWait(new Headers(), undefined, 20, now, () => 1)).toBe(MAX_WAIT_MS);
		expect(retryWait(new Headers(), undefined, 20, now, () => 0)).toBe(MAX_WAIT_MS / 2);
	});
});
