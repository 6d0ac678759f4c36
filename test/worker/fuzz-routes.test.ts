/**
 * Random and malformed requests against every route (fast-check): whatever arrives, the worker
 * answers 4xx (or 2xx/3xx where the input happens to be valid), never 5xx; JSON failures are
 * `{error, code}` (docs/api.md#errors); flow pages carry no stack; and no request that failed
 * changed a stored config or connection.
 */
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { BEARER, createConfig, importConnection } from "./support/api";
import { useProviderMocks } from "./support/provider-mocks";
import { weirdString } from "./support/weird-strings";

// No provider handlers: a request the fuzzer makes reach a provider fails (as a 5xx) instead of
// going out to the internet.
useProviderMocks();

const METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH"] as const;
type Method = (typeof METHODS)[number];

const SEEDED_CONFIG = "fuzz-config";
const SEEDED_CONNECTION = "fuzz-connection@example.com";

const GITHUB_CONFIG = {
	provider_config_key: SEEDED_CONFIG,
	provider: "github",
	oauth_client_id: "id",
	oauth_client_secret: "secret",
	oauth_scopes: "repo",
};
const CUSTOM_CONFIG = {
	provider_config_key: "fuzz-new",
	provider: "custom",
	oauth_client_id: "id",
	oauth_client_secret: "secret",
	oauth_scopes: ["a", "b"],
	authorization_url: "https://example.com/authorize",
	token_url: "https://example.com/token",
};
const OAUTH2_IMPORT = {
	provider_config_key: SEEDED_CONFIG,
	connection_id: "fuzz-new",
	access_token: "at",
	refresh_token: "rt",
	// far off, so reading it back needs no refresh
	expires_at: 4102444800,
};
const OAUTH1_IMPORT = {
	provider_config_key: SEEDED_CONFIG,
	connection_id: SEEDED_CONNECTION,
	oauth_token: "t",
	oauth_token_secret: "s",
};

const CONNECT_SESSION = {
	end_user: { id: "fuzz-user", email: "fuzz@example.com", display_name: "Fuzz", tags: { a: "b" } },
	organization: { id: "org" },
	allowed_integrations: [SEEDED_CONFIG],
	integrations_config_defaults: { [SEEDED_CONFIG]: { connection_config: { subdomain: "acme" } } },
	tags: { source: "fuzz" },
};
const RECONNECT_SESSION = {
	connection_id: SEEDED_CONNECTION,
	integration_id: SEEDED_CONFIG,
	end_user: { id: "fuzz-user" },
};

interface FuzzRoute {
	path: string;
	methods: readonly Method[];
	/** valid bodies, which the fuzzer breaks a field or two of */
	bodies?: readonly Record<string, unknown>[];
}

/**
 * The worker's routes (src/app.ts, src/routes/*) and the methods they answer; `:name` segments
 * are filled with random text. A new route is appended here.
 */
const FUZZ_ROUTES: readonly FuzzRoute[] = [
	{ path: "/", methods: ["GET"] },
	{ path: "/health", methods: ["GET"] },
	{ path: "/health/storage", methods: ["GET"] },
	{ path: "/config", methods: ["GET", "POST", "PUT"], bodies: [GITHUB_CONFIG, CUSTOM_CONFIG] },
	{ path: "/config/:provider_config_key", methods: ["GET", "DELETE"] },
	{ path: "/connection", methods: ["GET", "POST"], bodies: [OAUTH2_IMPORT, OAUTH1_IMPORT] },
	{ path: "/connection/:connection_id", methods: ["GET", "DELETE"] },
	{
		path: "/connections",
		methods: ["GET", "POST"],
		bodies: [
			{
				provider_config_key: SEEDED_CONFIG,
				connection_id: "fuzz-key",
				credentials: { type: "API_KEY", apiKey: "k" },
			},
		],
	},
	{ path: "/connections/:connection_id", methods: ["GET", "DELETE"] },
	{ path: "/integrations", methods: ["GET"] },
	{ path: "/integrations/:unique_key", methods: ["GET", "DELETE"] },
	{ path: "/admin/rotate-keys", methods: ["POST"] },
	{ path: "/providers", methods: ["GET"] },
	{ path: "/providers/:key", methods: ["GET"] },
	{ path: "/oauth/connect/:provider_config_key", methods: ["GET"] },
	{ path: "/oauth/callback", methods: ["GET"] },
	{ path: "/sdk/frontend.js", methods: ["GET"] },
	{ path: "/connect/sessions", methods: ["POST"], bodies: [CONNECT_SESSION] },
	{ path: "/connect/sessions/reconnect", methods: ["POST"], bodies: [RECONNECT_SESSION] },
	{ path: "/connect/session", methods: ["GET", "DELETE"] },
	{ path: "/api-auth/api-key/:provider_config_key", methods: ["POST"], bodies: [{ apiKey: "k" }] },
	{
		path: "/api-auth/basic/:provider_config_key",
		methods: ["POST"],
		bodies: [{ username: "u", password: "p" }],
	},
	{
		path: "/oauth2/auth/:provider_config_key",
		methods: ["POST"],
		bodies: [{ client_id: "c", client_secret: "s" }],
	},
	{ path: "/proxy/:path", methods: ["GET", "POST", "DELETE"] },
	{ path: "/dashboard/sign-in", methods: ["GET", "POST"] },
	{ path: "/dashboard/connections", methods: ["GET"] },
];

/** Paths that answer errors in today's shape, `{"error": {"code", "message"}}` (docs/api.md#errors). */
const TODAY_PREFIXES = ["/connect/", "/api-auth/", "/oauth2/", "/proxy/"];

/** Paths whose answers are HTML pages by design (docs/flows.md#flow-errors). */
const PAGE_PREFIXES = ["/oauth/", "/dashboard"];

/** Query names the routes read, so values reach the schemas rather than being ignored. */
const QUERY_NAMES = [
	"provider_config_key",
	"integration_key",
	"connection_id",
	"connectionId",
	"integrationId",
	"force",
	"force_refresh",
	"refresh_token",
	"ws_client_id",
	"state",
	"code",
	"error",
	"error_description",
	"oauth_token",
	"oauth_verifier",
	"public_key",
	"pizzly_pkey",
	"hmac",
	"params",
	"user_scope",
	"authorization_params",
	"connect_session_token",
];

const BODY_FIELDS = [
	"provider_config_key",
	"provider",
	"oauth_client_id",
	"oauth_client_secret",
	"oauth_scopes",
	"connection_id",
	"access_token",
	"refresh_token",
	"expires_at",
	"oauth_token",
	"oauth_token_secret",
	"connection_config",
	"metadata",
	"raw",
	"authorization_url",
	"token_url",
	"auth_mode",
	"end_user",
	"organization",
	"allowed_integrations",
	"integrations_config_defaults",
	"tags",
	"integration_id",
	"credentials",
	"apiKey",
	"username",
	"password",
	"client_id",
	"client_secret",
];

const HUGE = "x".repeat(1024 * 1024 + 1);

/** Text that is sometimes a real key, so requests reach stored rows too. */
const value = fc.oneof(
	{ weight: 6, arbitrary: weirdString() },
	// lists (integrationId takes comma-separated keys) up to past their documented length
	{
		weight: 1,
		arbitrary: fc
			.array(fc.constantFrom("a", "b-1", SEEDED_CONFIG), { minLength: 1, maxLength: 120 })
			.map((keys) => keys.join(",")),
	},
	{ weight: 2, arbitrary: fc.constantFrom(SEEDED_CONFIG, SEEDED_CONNECTION, "github", "true", "1", "") },
	{ weight: 1, arbitrary: fc.constantFrom("%", "%E0%A4", "%C0%AE", "%ZZ", "a,b,,", "x".repeat(5000)) },
);

/** Percent-encoded, or raw (for the URL parser to make of it what it will). */
function inUrl(text: string, encode: boolean): string {
	return encode && text.isWellFormed() ? encodeURIComponent(text) : text;
}

/** A route's path with its params filled (percent-encoded or raw). */
function fill(route: string, texts: string[], encode: boolean): string {
	let index = 0;
	return route.replace(/:\w+/g, () => inUrl(texts[index++] ?? "", encode));
}

/** Mostly a route with one of its own methods; sometimes any method, or random segments. */
const target: fc.Arbitrary<{ method: Method; path: string; bodies: readonly Record<string, unknown>[] }> =
	fc.oneof(
		{
			weight: 6,
			arbitrary: fc.constantFrom(...FUZZ_ROUTES).chain((route) =>
				fc
					.tuple(
						fc.oneof(
							{ weight: 4, arbitrary: fc.constantFrom(...route.methods) },
							fc.constantFrom(...METHODS),
						),
						fc.array(value, { minLength: 2, maxLength: 2 }),
						fc.boolean(),
					)
					.map(([method, texts, encode]) => ({
						method,
						path: fill(route.path, texts, encode),
						bodies: route.bodies ?? [],
					})),
			),
		},
		{
			weight: 1,
			arbitrary: fc.record({
				method: fc.constantFrom(...METHODS),
				path: fc.array(value, { maxLength: 4 }).map((segments) => `/${segments.join("/")}`),
				bodies: fc.constant([]),
			}),
		},
	);

const query = fc
	.array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_NAMES), weirdString(8)), value, fc.boolean()), {
		maxLength: 5,
	})
	.map((pairs) =>
		pairs.map(([name, text, encode]) => `${inUrl(name, encode)}=${inUrl(text, encode)}`).join("&"),
	);

/** A header value a Headers object takes: printable ASCII and tabs (no CR, LF or NUL). */
const headerText = fc.string({
	unit: fc.oneof(
		fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
		fc.constant("\t"),
	),
	maxLength: 60,
});

const authorization = fc.oneof(
	{ weight: 6, arbitrary: fc.constant(BEARER.authorization) },
	fc.constant(undefined),
	fc.constantFrom("Bearer", "Bearer wrong-key", "Basic !!!", "Basic dGVzdC1zZWNyZXQta2V5", "bearer  x y"),
	headerText,
);

const contentType = fc.oneof(
	{ weight: 6, arbitrary: fc.constant("application/json") },
	fc.constantFrom(
		"application/json",
		"application/json; charset=utf-8",
		"application/vnd.api+json",
		"text/plain",
		"application/x-www-form-urlencoded",
		"multipart/form-data; boundary=x",
	),
	fc.constant(undefined),
	headerText,
);

const extraHeaders = fc.dictionary(
	fc.constantFrom(
		"origin",
		"upgrade",
		"accept",
		"cf-connecting-ip",
		"content-length",
		"x-forwarded-for",
		"cookie",
	),
	fc.oneof(
		headerText,
		fc.constantFrom("websocket", "null", "http://evil.example", "127.0.0.1", "-1", "99999999"),
	),
	{ maxKeys: 3 },
);

/** JSON with the field names the schemas know, filled with the wrong types and hostile text. */
const jsonValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
	value: fc.oneof(
		{ depthSize: "small", withCrossShrink: true },
		value,
		fc.integer(),
		fc.double(),
		// numbers at the edges of what dates, counts and integers hold
		fc.constantFrom(-1, 0, -0, 0.5, 1e11, 8.64e15 + 1, Number.MAX_SAFE_INTEGER, 1e300, -1e300),
		fc.boolean(),
		fc.constant(null),
		fc.array(tie("value"), { maxLength: 4 }),
		fc.dictionary(fc.oneof(fc.constantFrom(...BODY_FIELDS), weirdString(8)), tie("value"), { maxKeys: 6 }),
	),
})).value;

/** Scalars at the edges of what dates, counts, strings and types hold. */
const hostileScalar = fc.oneof(
	value,
	fc.constantFrom(-1, 0, -0, 0.5, 1e11, 8.64e15 + 1, Number.MAX_SAFE_INTEGER, 1e300, -1e300, true, false),
);

/** One of `bases` (valid bodies) with one or two fields broken, dropped or added. */
function nearlyValid(bases: readonly Record<string, unknown>[]): fc.Arbitrary<string> {
	return fc.constantFrom(...bases).chain((base) =>
		fc
			.dictionary(
				// mostly the fields the body has, so the break lands behind the first check
				fc.oneof(
					{ weight: 4, arbitrary: fc.constantFrom(...Object.keys(base)) },
					fc.constantFrom(...BODY_FIELDS),
					weirdString(8),
				),
				fc.option(fc.oneof({ weight: 3, arbitrary: hostileScalar }, jsonValue)),
				{ minKeys: 1, maxKeys: 2 },
			)
			.map((changes) => {
				const broken: Record<string, unknown> = { ...base };
				for (const [field, change] of Object.entries(changes)) {
					if (change === null) delete broken[field];
					else broken[field] = change;
				}
				return JSON.stringify(broken);
			}),
	);
}

const anyBody = fc.oneof(
	fc.constant(undefined),
	jsonValue.map((data) => JSON.stringify(data)),
	weirdString(200),
	fc.constantFrom("{", '{"provider_config_key":', "[1,2", "\uFEFF{}", "null", '"\\ud800"', "1e999", HUGE),
);

const request = target.chain((to) =>
	fc.record({
		target: fc.constant(to),
		query,
		authorization,
		contentType,
		extraHeaders,
		body:
			to.bodies.length > 0 ? fc.oneof({ weight: 3, arbitrary: nearlyValid(to.bodies) }, anyBody) : anyBody,
	}),
);

type FuzzRequest = typeof request extends fc.Arbitrary<infer T> ? T : never;

/**
 * A refresh the provider failed: 502/504 by contract (docs/flows.md#refresh-failures). Reachable
 * when the fuzzer imports an expiring connection and reads it back; the mocked providers answer
 * nothing, so such a refresh always fails.
 */
function isProviderFailure(status: number, text: string): boolean {
	if (status !== 502 && status !== 504) return false;
	const code: unknown = JSON.parse(text).code;
	return code === "refresh_failed" || code === "provider_unreachable";
}

/** A request with a valid key, JSON content type and no other header. */
function plain(method: Method, path: string, query = "", body?: Record<string, unknown>): FuzzRequest {
	return {
		target: { method, path, bodies: [] },
		query,
		authorization: BEARER.authorization,
		contentType: "application/json",
		extraHeaders: {},
		body: body === undefined ? undefined : JSON.stringify(body),
	};
}

/** Inputs that once answered 5xx, tried first on every run so each fix stays fixed. */
const FOUND: FuzzRequest[] = [
	// an expiry past the last instant a Date holds: toISOString() threw (src/routes/connection-body.ts)
	plain("POST", "/connection", "", { ...OAUTH2_IMPORT, expires_at: 8.64e15 + 1 }),
	// 100 keys and a connection id: 101 bound parameters, over D1's limit (src/db/connections.ts)
	plain(
		"GET",
		"/connections",
		`integrationId=${Array.from({ length: 100 }, (_, index) => `k${index}`).join(",")}&connectionId=x`,
	),
];

/** Every stored config and connection, as rows of text. */
async function snapshot(): Promise<string> {
	const configs = await env.DB.prepare("SELECT * FROM configs ORDER BY id").all();
	const connections = await env.DB.prepare("SELECT * FROM connections ORDER BY id").all();
	const sessions = await env.DB.prepare("SELECT * FROM connect_sessions ORDER BY token_hash").all();
	return JSON.stringify([configs.results, connections.results, sessions.results]);
}

function toRequest(input: FuzzRequest): Request | undefined {
	const headers = new Headers();
	try {
		for (const [name, text] of Object.entries(input.extraHeaders)) headers.set(name, text);
		if (input.authorization !== undefined) headers.set("authorization", input.authorization);
		if (input.contentType !== undefined) headers.set("content-type", input.contentType);
		const url = `http://localhost${input.target.path}${input.query ? `?${input.query}` : ""}`;
		const { method } = input.target;
		const body = method === "GET" ? undefined : input.body;
		return new Request(url, { method, headers, ...(body === undefined ? {} : { body }) });
	} catch {
		// not a request any client could send (e.g. a content-length the body contradicts)
		return undefined;
	}
}

function describeInput(input: FuzzRequest): string {
	const { bodies: _, ...target } = input.target;
	return JSON.stringify({ ...input, target, body: input.body === HUGE ? "<1 MB + 1>" : input.body });
}

describe("random and malformed requests (docs/api.md#errors)", () => {
	beforeAll(async () => {
		await createConfig(SEEDED_CONFIG);
		await importConnection(SEEDED_CONFIG, SEEDED_CONNECTION, {
			refresh_token: undefined,
			expires_at: undefined,
		});
	});

	it("never answers 5xx, always answers JSON errors, and changes nothing it refused", async () => {
		let before = await snapshot();
		await fc.assert(
			fc.asyncProperty(request, async (input) => {
				const req = toRequest(input);
				if (!req) return;
				const response = await app.request(req, undefined, env);
				// A WebSocket the fuzzer opened on `/` is closed again at once.
				response.webSocket?.accept();
				response.webSocket?.close();
				const text = await response.text();
				const about = `${response.status} ${text.slice(0, 300)} for ${describeInput(input)}`;
				if (!isProviderFailure(response.status, text)) expect(response.status, about).toBeLessThan(500);

				const pathname = new URL(req.url).pathname;
				const isPage = PAGE_PREFIXES.some((prefix) => pathname.startsWith(prefix));
				const type = response.headers.get("content-type") ?? "";
				if (response.status >= 400) {
					if (isPage && type.startsWith("text/html")) {
						expect(text, about).not.toMatch(/\bat .+:\d+:\d+/);
					} else {
						expect(type, about).toMatch(/^application\/json/);
						const error = JSON.parse(text);
						if (TODAY_PREFIXES.some((prefix) => pathname.startsWith(prefix))) {
							expect(typeof error.error?.code, about).toBe("string");
							expect(typeof error.error?.message, about).toBe("string");
						} else {
							expect(typeof error.error, about).toBe("string");
							expect(typeof error.code, about).toBe("string");
						}
					}
				}

				const after = await snapshot();
				const mutating = input.target.method !== "GET";
				if (mutating && response.status < 300) {
					// A valid write (a creation, a forced delete, a key rotation): the new state is the baseline.
					before = after;
					return;
				}
				expect(after, about).toBe(before);
			}),
			{ numRuns: 1000, examples: FOUND.map((input) => [input]) },
		);
	}, 60_000);
});
