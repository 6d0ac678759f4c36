/**
 * The warm token read answered before routing (docs/flows.md#token-caches): a `GET
 * /connection/:id` or `GET /connections/:id` whose connection this isolate's memory holds, or
 * which is busy here and so served by its Durable Object's in-memory copy, is answered here, with
 * the same checks and the same bytes as the routes, but without Hono's routing and context.
 * Measured side by side in workerd (autocannon, loopback): the same read through a Hono route
 * reached 0.87–0.89 of the constant route, answered here 0.95; `getToken()` runs before every
 * API call an app makes, so that difference is the product's.
 *
 * Anything else answers undefined and takes the ordinary route, which then answers exactly as
 * it always does: a cold connection, `force_refresh`, an invalid query, a refused or missing
 * secret (the route writes the error), no secret configured (the loopback rule), CORS
 * configured, a failure the object answered.
 */
import { readWarm } from "./connections/read";
import { type ReadRoute, readOf } from "./connections/read-request";
import { connectionJson, JSON_TYPE } from "./connections/view";
import type { Connection } from "./db/connections";
import type { Bindings } from "./env";
import { secretRefusal } from "./middleware/secret-auth";

const READ_PREFIXES: ReadonlyArray<readonly [string, ReadRoute]> = [
	["/connection/", "connection"],
	["/connections/", "connections"],
];

export function answerBeforeRouting(
	request: Request,
	env: Bindings,
	ctx: ExecutionContext,
): Response | Promise<Response | undefined> | undefined {
	if (request.method !== "GET") return undefined;
	const secret = env.NANGO_SECRET_KEY;
	if (!secret || env.NANGO_CORS_ORIGINS?.trim()) return undefined;
	const url = request.url;
	const pathStart = url.indexOf("/", url.indexOf("//") + 2);
	const queryStart = url.indexOf("?", pathStart);
	if (pathStart === -1 || queryStart === -1) return undefined;
	const path = url.slice(pathStart, queryStart);
	const route = READ_PREFIXES.find(([prefix]) => path.startsWith(prefix));
	if (!route) return undefined;
	const connectionId = decodedSegment(path.slice(route[0].length));
	if (connectionId === undefined) return undefined;
	const read = readOf(route[1], firstValues(url.slice(queryStart + 1)));
	if (!read?.providerConfigKey || read.forceRefresh) return undefined;
	if (secretRefusal(request.headers.get("authorization") ?? undefined, secret)) return undefined;
	const { shape } = read;
	const answer = (connection: Connection | undefined) =>
		connection && new Response(connectionJson(connection, shape), { headers: JSON_TYPE });
	const warm = readWarm(env, read.providerConfigKey, connectionId, (work) => ctx.waitUntil(work));
	if (!(warm instanceof Promise)) return answer(warm);
	// The route answers whatever went wrong on the way to the object.
	return warm.then(answer, () => undefined);
}

/** The path segment as the router decodes a parameter; undefined for none, several or a bad escape. */
function decodedSegment(segment: string): string | undefined {
	if (segment === "" || segment.includes("/")) return undefined;
	try {
		return decodeURIComponent(segment);
	} catch {
		return undefined;
	}
}

/** The query as the routes read it: the first value of a repeated name wins. */
function firstValues(query: string): Record<string, string> {
	const values: Record<string, string> = {};
	for (const [name, value] of new URLSearchParams(query)) values[name] ??= value;
	return values;
}
