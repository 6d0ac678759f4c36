/**
 * Shared SDK cases: tokens and connections (docs/api.md#connections, README.md#sdks), against the real worker.
 */
import { check, equal, rejects } from "./sdk-backend-assert.js";
import { client, githubConfig, type SuiteCase, unique } from "./sdk-backend-context.js";

const FAR_FUTURE = "2099-01-01T00:00:00.000Z";

export const connectionCases: SuiteCase[] = [
	{
		name: "createConnectSession and createReconnectSession mint tokens; bad input is a typed error",
		async run(context) {
			const nango = client(context);
			const key = await githubConfig(context, "session");
			const session = await nango.createConnectSession({
				end_user: { id: "user-1", email: "ada@example.com" },
				allowed_integrations: [key],
			});
			check(/^nango_connect_session_[0-9a-f]{64}$/.test(session.data.token), "session token format");
			check(Date.parse(session.data.expires_at) > Date.now(), "session expires later");
			await rejects(
				nango.createConnectSession({ end_user: { id: "user-1" }, allowed_integrations: ["no-such-key"] }),
				{ type: context.sdk.NangoError, status: 400, code: "invalid_body" },
				"unknown integration",
			);
			await nango.importConnection({ provider_config_key: key, connection_id: "again", access_token: "at" });
			const reconnect = await nango.createReconnectSession({ connection_id: "again", integration_id: key });
			check(reconnect.data.token !== session.data.token, "a new token for the reconnect session");
			await rejects(
				nango.createReconnectSession({ connection_id: "nobody", integration_id: key }),
				{ type: context.sdk.NangoError, status: 404, code: "unknown_connection" },
				"unknown connection",
			);
		},
	},
	{
		name: "importConnection then getToken returns the OAuth 2 access token",
		async run(context) {
			const nango = client(context);
			const key = await githubConfig(context, "oauth2");
			const imported = await nango.importConnection({
				provider_config_key: key,
				connection_id: "alice",
				access_token: "gho_access_1",
				refresh_token: "ghr_refresh_1",
				expires_at: FAR_FUTURE,
			});
			equal(imported.connection_id, "alice", "imported connection id");
			equal(imported.credentials.type, "OAUTH2", "imported credentials type");
			equal(await nango.getToken(key, "alice"), "gho_access_1", "getToken");
		},
	},
	{
		name: "the default export is Nango; API-key and basic connections import and read back",
		async run(context) {
			const nango = new context.sdk.default({ host: context.workerUrl, secretKey: context.secretKey });
			for (const [label, provider] of [
				["apikey", "airtable-pat"],
				["basic", "ashby"],
			] as const) {
				const key = unique(context, label);
				await nango.createConfig({
					provider_config_key: key,
					provider,
					oauth_client_id: "-",
					oauth_client_secret: "-",
					oauth_scopes: "-",
				});
				const credentials =
					label === "apikey"
						? ({ type: "API_KEY", apiKey: "key-1" } as const)
						: ({ type: "BASIC", username: "ada", password: "pw" } as const);
				await nango.importConnection({ provider_config_key: key, connection_id: "c", credentials });
				equal((await nango.getConnection(key, "c")).credentials.type, credentials.type, "credentials type");
				const token = await nango.getToken(key, "c");
				equal(
					JSON.stringify(token),
					JSON.stringify(label === "apikey" ? "key-1" : { username: "ada", password: "pw" }),
					"getToken",
				);
			}
		},
	},
	{
		name: "getToken returns oAuthToken and oAuthTokenSecret for OAuth 1.0a",
		async run(context) {
			const nango = client(context);
			const { providers } = await nango.listProviders();
			const oauth1 = providers.find((provider) => provider.auth_mode === "OAUTH1");
			check(oauth1, "the catalog has an OAuth 1.0a template");
			const key = unique(context, "oauth1");
			await nango.createConfig({
				provider_config_key: key,
				provider: oauth1.key,
				oauth_client_id: "consumer-key",
				oauth_client_secret: "consumer-secret",
				oauth_scopes: "",
			});
			await nango.importConnection({
				provider_config_key: key,
				connection_id: "bob",
				oauth_token: "oauth-token-1",
				oauth_token_secret: "oauth-secret-1",
			});
			equal(
				await nango.getToken(key, "bob"),
				{ oAuthToken: "oauth-token-1", oAuthTokenSecret: "oauth-secret-1" },
				"OAuth 1.0a getToken",
			);
		},
	},
	{
		name: "getRawTokenResponse returns the provider's token response",
		async run(context) {
			const nango = client(context);
			const key = await githubConfig(context, "raw");
			const raw = { access_token: "gho_raw", token_type: "bearer", scope: "repo", extra: { nested: [1, 2] } };
			await nango.importConnection({
				provider_config_key: key,
				connection_id: "carol",
				access_token: "gho_raw",
				raw,
			});
			equal(await nango.getRawTokenResponse(key, "carol"), raw, "getRawTokenResponse");
		},
	},
	{
		name: "getConnection returns the connection object with config, metadata and refresh token",
		async run(context) {
			const nango = client(context);
			const key = await githubConfig(context, "object");
			await nango.importConnection({
				provider_config_key: key,
				connection_id: "dave",
				access_token: "gho_dave",
				refresh_token: "ghr_dave",
				expires_at: FAR_FUTURE,
				connection_config: { subdomain: "acme" },
				metadata: { realmId: "42" },
			});
			const connection = await nango.getConnection(key, "dave");
			equal(
				{
					provider_config_key: connection.provider_config_key,
					connection_id: connection.connection_id,
					connection_config: connection.connection_config,
					metadata: connection.metadata,
					needs_reauth: connection.needs_reauth,
					last_refresh_error: connection.last_refresh_error,
				},
				{
					provider_config_key: key,
					connection_id: "dave",
					connection_config: { subdomain: "acme" },
					metadata: { realmId: "42" },
					needs_reauth: false,
					last_refresh_error: null,
				},
				"connection fields",
			);
			check(connection.credentials.type === "OAUTH2", "OAuth 2 credentials");
			equal(connection.credentials.refresh_token, "ghr_dave", "refresh token");
			equal(connection.credentials.expires_at, FAR_FUTURE, "expiry");
		},
	},
	{
		name: "listConnections lists every connection and filters by config and by id",
		async run(context) {
			const nango = client(context);
			const first = await githubConfig(context, "list-a");
			const second = await githubConfig(context, "list-b");
			await nango.importConnection({ provider_config_key: first, connection_id: "erin", access_token: "t1" });
			await nango.importConnection({
				provider_config_key: second,
				connection_id: "frank",
				access_token: "t2",
			});
			const all = await nango.listConnections();
			const pairs = all.connections.map((item) => `${item.provider_config_key}:${item.connection_id}`);
			check(pairs.includes(`${first}:erin`) && pairs.includes(`${second}:frank`), `both listed: ${pairs}`);
			check(
				all.connections.every((item) => !("credentials" in item)),
				"the list carries no credentials",
			);
			const byConfig = await nango.listConnections({ providerConfigKey: first });
			equal(
				byConfig.connections.map((item) => item.connection_id),
				["erin"],
				"filtered by provider config key",
			);
			const byId = await nango.listConnections({ connectionId: "frank" });
			check(
				byId.connections.length > 0 && byId.connections.every((item) => item.connection_id === "frank"),
				"filtered by connection id",
			);
		},
	},
	{
		name: "deleteConnection removes it: the next read is a 404 unknown_connection",
		async run(context) {
			const nango = client(context);
			const key = await githubConfig(context, "delete");
			await nango.importConnection({ provider_config_key: key, connection_id: "gina", access_token: "t" });
			await nango.deleteConnection(key, "gina");
			await rejects(
				nango.getToken(key, "gina"),
				{ type: context.sdk.NangoError, status: 404, code: "unknown_connection" },
				"read after delete",
			);
			const { connections } = await nango.listConnections({ providerConfigKey: key });
			equal(connections, [], "no connection left");
		},
	},
	{
		name: "connection ids with /, spaces, ?, #, %, quotes and Unicode round-trip",
		async run(context) {
			const nango = client(context);
			const key = await githubConfig(context, "ids");
			const ids = [
				"alice@example.com",
				"team/alice/../bob",
				"with space and +plus",
				"q?x=1&y=2#fragment",
				"100%25 done%",
				"ünïcødé 🎉 用户",
				"<script>alert(1)</script>",
				"'; DROP TABLE connections; --",
			];
			for (const [index, id] of ids.entries()) {
				await nango.importConnection({
					provider_config_key: key,
					connection_id: id,
					access_token: `token-${index}`,
				});
			}
			for (const [index, id] of ids.entries()) {
				equal(await nango.getToken(key, id), `token-${index}`, `getToken(${JSON.stringify(id)})`);
			}
			const { connections } = await nango.listConnections({ providerConfigKey: key });
			equal(
				connections.map((item) => item.connection_id).sort(),
				[...ids].sort(),
				"listed ids are the exact ids",
			);
			for (const id of ids) await nango.deleteConnection(key, id);
			equal((await nango.listConnections({ providerConfigKey: key })).connections, [], "all deleted");
		},
	},
	{
		name: "aliases of the seed documents answer what the methods they alias answer",
		async run(context) {
			const nango = client(context);
			const key = await githubConfig(context, "aliases");
			const raw = { access_token: "gho_alias", token_type: "bearer" };
			await nango.importConnection({
				provider_config_key: key,
				connection_id: "hank",
				access_token: "gho_alias",
				raw,
			});
			equal(await nango.currentAccessToken(key, "hank"), "gho_alias", "currentAccessToken");
			equal(await nango.accessToken(key, "hank"), "gho_alias", "accessToken");
			equal(await nango.rawTokenReponse(key, "hank"), raw, "rawTokenReponse (sic)");
			equal(await nango.rawTokenResponse(key, "hank"), raw, "rawTokenResponse");
			equal(await nango.connection(key, "hank"), await nango.getConnection(key, "hank"), "connection");
			const pizzly = new context.sdk.Pizzly(context.workerUrl, context.secretKey);
			equal(await pizzly.accessToken(key, "hank"), "gho_alias", "Pizzly accessToken");
		},
	},
];
