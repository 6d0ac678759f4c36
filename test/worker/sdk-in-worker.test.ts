// The backend SDK running inside workerd (issue 6: "runs on Workers"), calling the worker through
// its own entry (`exports.default.fetch`, as a service binding would) with real D1 and Durable
// Objects; the provider's token endpoint is mocked with msw at its own URL.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Nango, NangoError, NangoTimeoutError } from "../../sdk/backend/src/index";
import { HttpResponse, http, useProviderMocks } from "./support/provider-mocks";

const SECRET = "test-secret-key";
// `wrangler types` does not declare the main module, so `exports.default` is untyped here.
const worker = (exports as unknown as { default: Fetcher }).default;
const server = useProviderMocks();

function nango(secretKey = SECRET): Nango {
	return new Nango({ host: "https://nango.internal", secretKey, fetch: (request) => worker.fetch(request) });
}

let counter = 0;
function unique(label: string): string {
	counter += 1;
	return `sdk-${label}-${counter}-${crypto.randomUUID().slice(0, 8)}`;
}

/** A custom config whose token endpoint is mocked; returns the refresh requests it receives. */
async function customProvider(key: string): Promise<URLSearchParams[]> {
	const tokenUrl = `https://provider.test/${key}/token`;
	await nango().createConfig({
		provider_config_key: key,
		provider: "custom",
		oauth_client_id: "client-id",
		oauth_client_secret: "client-secret",
		oauth_scopes: "read",
		authorization_url: "https://provider.test/authorize",
		token_url: tokenUrl,
	});
	const calls: URLSearchParams[] = [];
	server.use(
		http.post(tokenUrl, async ({ request }) => {
			// Decoded by hand: workerd warns when .text() reads a form body.
			calls.push(new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer())));
			return HttpResponse.json({
				access_token: `fresh-${calls.length}`,
				expires_in: 3600,
				token_type: "bearer",
			});
		}),
	);
	return calls;
}

describe("backend SDK inside workerd", () => {
	it("imports a connection and reads its token, raw response and listing", async () => {
		const key = unique("read");
		await customProvider(key);
		const raw = { access_token: "stored-token", token_type: "bearer" };
		await nango().importConnection({
			provider_config_key: key,
			connection_id: "user/1 ü",
			access_token: "stored-token",
			refresh_token: "rt-1",
			expires_at: new Date(Date.now() + 24 * 3600_000).toISOString(),
			raw,
		});
		expect(await nango().getToken(key, "user/1 ü")).toBe("stored-token");
		expect(await nango().rawTokenResponse(key, "user/1 ü")).toEqual(raw);
		const { connections } = await nango().listConnections({ providerConfigKey: key });
		expect(connections.map((item) => item.connection_id)).toEqual(["user/1 ü"]);
	});

	it("getToken answers a refreshed token when the stored one has expired", async () => {
		const key = unique("expired");
		const calls = await customProvider(key);
		await nango().importConnection({
			provider_config_key: key,
			connection_id: "alice",
			access_token: "expired-token",
			refresh_token: "rt-alice",
			expires_at: new Date(Date.now() - 60_000).toISOString(),
		});
		expect(await nango().getToken(key, "alice")).toBe("fresh-1");
		expect(calls.map((form) => [form.get("grant_type"), form.get("refresh_token")])).toEqual([
			["refresh_token", "rt-alice"],
		]);
		// Now fresh: served without another refresh.
		expect(await nango().getToken(key, "alice")).toBe("fresh-1");
		expect(calls).toHaveLength(1);
	});

	it("forceRefresh refreshes a token that is still fresh", async () => {
		const key = unique("force");
		const calls = await customProvider(key);
		await nango().importConnection({
			provider_config_key: key,
			connection_id: "bob",
			access_token: "still-fresh",
			refresh_token: "rt-bob",
			expires_at: new Date(Date.now() + 24 * 3600_000).toISOString(),
		});
		expect(await nango().getToken(key, "bob")).toBe("still-fresh");
		expect(await nango().getToken(key, "bob", { forceRefresh: true })).toBe("fresh-1");
		expect(calls).toHaveLength(1);
	});

	it("errors are NangoErrors with the worker's status and code", async () => {
		const key = unique("errors");
		await customProvider(key);
		const unknown = await nango()
			.getConnection(key, "nobody")
			.catch((error: unknown) => error);
		expect(unknown).toBeInstanceOf(NangoError);
		expect(unknown).toMatchObject({ status: 404, code: "unknown_connection" });
		const denied = await nango("wrong-secret")
			.listConfigs()
			.catch((error: unknown) => error);
		expect(denied).toMatchObject({ status: 401, code: "invalid_secret_key" });
	});

	it("the timeout holds in workerd too", async () => {
		const hung = new Nango({
			host: "https://nango.internal",
			secretKey: SECRET,
			timeoutMs: 50,
			fetch: () => new Promise<Response>(() => {}),
		});
		const error = await hung.listConfigs().catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(NangoTimeoutError);
		expect(error).toMatchObject({ status: 0, code: "timeout" });
	});
});
