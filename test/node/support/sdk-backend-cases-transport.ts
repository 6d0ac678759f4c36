/**
 * Shared SDK cases: authentication, typed errors, timeouts, retries and the constructor's
 * forms, against the real worker and the fault server (fault-server.ts).
 */
import { check, equal, rejects } from "./sdk-backend-assert.js";
import {
	client,
	githubConfig,
	githubConfigBody,
	hits,
	type SuiteCase,
	unique,
} from "./sdk-backend-context.js";

export const transportCases: SuiteCase[] = [
	{
		name: "an unknown connection is a NangoError 404 unknown_connection with the worker's message",
		async run(context) {
			const key = await githubConfig(context, "unknown");
			await rejects(
				client(context).getToken(key, "nobody"),
				{
					type: context.sdk.NangoError,
					status: 404,
					code: "unknown_connection",
					message: "Unknown connection",
				},
				"unknown connection",
			);
		},
	},
	{
		name: "a wrong secret is 401 invalid_secret_key; no secret is 401 missing_auth_header",
		async run(context) {
			await rejects(
				client(context, { secretKey: "not-the-secret" }).listConfigs(),
				{ type: context.sdk.NangoError, status: 401, code: "invalid_secret_key" },
				"wrong secret",
			);
			// The string form sets no secret; the trailing slash must not produce "//config".
			await rejects(
				new context.sdk.Nango(`${context.workerUrl}/`).listConfigs(),
				{ type: context.sdk.NangoError, status: 401, code: "missing_auth_header" },
				"no secret",
			);
		},
	},
	{
		name: "the host may end with slashes and the secret is sent as a Bearer token",
		async run(context) {
			const seen: Request[] = [];
			const nango = new context.sdk.Nango({
				host: `${context.workerUrl}///`,
				secretKey: context.secretKey,
				fetch: (request) => {
					seen.push(request);
					return fetch(request);
				},
			});
			equal(nango.host, context.workerUrl, "normalized host");
			check(Array.isArray((await nango.listConfigs()).configs), "listConfigs answers a list");
			equal(seen.length, 1, "requests through the injected fetch");
			equal(seen[0]?.headers.get("authorization"), `Bearer ${context.secretKey}`, "Authorization header");
			equal(new URL(seen[0]?.url ?? "").pathname, "/config", "request path");
		},
	},
	{
		name: "an invalid host is refused when the client is made; the default is localhost:3003",
		async run(context) {
			equal(new context.sdk.Nango().host, "http://localhost:3003", "default host");
			let error: unknown;
			try {
				new context.sdk.Nango("not a url");
			} catch (caught) {
				error = caught;
			}
			check(error instanceof TypeError, `an invalid host throws a TypeError, got ${String(error)}`);
		},
	},
	{
		name: "a worker that never answers ends in NangoTimeoutError (code timeout), not retried",
		async run(context) {
			const session = unique(context, "hang");
			const nango = client(context, { host: `${context.faultsUrl}/hang/${session}`, timeoutMs: 300 });
			await rejects(
				nango.getToken("github", "alice"),
				{ type: context.sdk.NangoTimeoutError, status: 0, code: "timeout" },
				"hung worker",
			);
			equal(await hits(context, session), 1, "requests to the hung worker");
		},
	},
	{
		name: "a fetch that never settles still ends in a timeout (the timeout does not rely on abort)",
		async run(context) {
			let calls = 0;
			const nango = client(context, {
				timeoutMs: 200,
				fetch: () => {
					calls += 1;
					return new Promise<Response>(() => {});
				},
			});
			await rejects(
				nango.listConfigs(),
				{ type: context.sdk.NangoTimeoutError, status: 0, code: "timeout" },
				"never-settling fetch",
			);
			equal(calls, 1, "fetch calls");
		},
	},
	{
		name: "a refused connection is a NangoNetworkError (code network_error), also a NangoError",
		async run(context) {
			const error = await rejects(
				client(context, { host: context.closedUrl, retries: 0 }).listConfigs(),
				{ type: context.sdk.NangoNetworkError, status: 0, code: "network_error" },
				"closed port",
			);
			check(error instanceof context.sdk.NangoError, "a network error is a NangoError");
		},
	},
	{
		name: "a GET that fails once with a 5xx is retried and succeeds",
		async run(context) {
			const key = await githubConfig(context, "retry");
			const session = unique(context, "flaky");
			const nango = client(context, { host: `${context.faultsUrl}/flaky/${session}` });
			const config = await nango.getConfig(key);
			equal(config.unique_key, key, "config read through the flaky proxy");
			equal(await hits(context, session), 2, "requests: the failure and its retry");
		},
	},
	{
		name: "with retries: 0 the 5xx surfaces as a NangoError with the body's code",
		async run(context) {
			const session = unique(context, "flaky0");
			const nango = client(context, { host: `${context.faultsUrl}/flaky/${session}`, retries: 0 });
			await rejects(
				nango.listConfigs(),
				{ type: context.sdk.NangoError, status: 503, code: "service_unavailable", message: "Temporarily" },
				"503 without retries",
			);
			equal(await hits(context, session), 1, "requests without retries");
		},
	},
	{
		name: "a non-JSON 5xx page is retried, then reported as http_<status>",
		async run(context) {
			const session = unique(context, "html");
			const nango = client(context, { host: `${context.faultsUrl}/html/${session}`, retries: 2 });
			await rejects(
				nango.listConnections(),
				{ type: context.sdk.NangoError, status: 502, code: "http_502" },
				"HTML 502",
			);
			equal(await hits(context, session), 3, "one attempt and two retries");
		},
	},
	{
		name: "POST and DELETE are never retried, even after a 5xx",
		async run(context) {
			const direct = client(context);
			const key = unique(context, "noretry");
			const body = githubConfigBody(key);
			const postSession = unique(context, "flaky-post");
			await rejects(
				client(context, { host: `${context.faultsUrl}/flaky/${postSession}` }).createConfig(body),
				{ type: context.sdk.NangoError, status: 503, code: "service_unavailable" },
				"POST through the flaky proxy",
			);
			equal(await hits(context, postSession), 1, "POST attempts");
			// A retry would have reached the worker and created it.
			await rejects(
				direct.getConfig(key),
				{ type: context.sdk.NangoError, status: 404, code: "unknown_provider_config" },
				"config after the failed POST",
			);
			await direct.createConfig(body);
			await direct.importConnection({ provider_config_key: key, connection_id: "jo", access_token: "t" });
			const deleteSession = unique(context, "flaky-delete");
			await rejects(
				client(context, { host: `${context.faultsUrl}/flaky/${deleteSession}` }).deleteConnection(key, "jo"),
				{ type: context.sdk.NangoError, status: 503, code: "service_unavailable" },
				"DELETE through the flaky proxy",
			);
			equal(await hits(context, deleteSession), 1, "DELETE attempts");
			equal(await direct.getToken(key, "jo"), "t", "the connection survived the failed DELETE");
		},
	},
];
