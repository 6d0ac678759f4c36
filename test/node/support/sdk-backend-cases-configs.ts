/**
 * Shared SDK cases: provider configs and the catalog (docs/api.md#provider-configs, docs/api.md#provider-catalog), against the real worker.
 */
import { check, equal, rejects } from "./sdk-backend-assert.js";
import { client, githubConfigBody, type SuiteCase, unique } from "./sdk-backend-context.js";

export const configCases: SuiteCase[] = [
	{
		name: "createConfig, getConfig, listConfigs and updateConfig keep the early row shape",
		async run(context) {
			const nango = client(context);
			const key = unique(context, "config");
			const created = await nango.createConfig({
				provider_config_key: key,
				provider: "github",
				oauth_client_id: "id-1",
				oauth_client_secret: "secret-1",
				oauth_scopes: ["read:user", "repo"],
			});
			check(Number.isInteger(created.config_id), `config_id is an integer: ${created.config_id}`);
			const config = await nango.getConfig(key);
			equal(
				[
					config.unique_key,
					config.provider,
					config.oauth_client_id,
					config.oauth_client_secret,
					config.oauth_scopes,
				],
				[key, "github", "id-1", "secret-1", "read:user,repo"],
				"getConfig row",
			);
			const listed = (await nango.listConfigs()).configs.find((row) => row.unique_key === key);
			check(listed, "listConfigs lists the new config");
			check(!("oauth_client_secret" in listed), "the list carries no client secret");
			await nango.updateConfig({
				provider_config_key: key,
				provider: "github",
				oauth_client_id: "id-2",
				oauth_client_secret: "secret-2",
				oauth_scopes: "repo",
			});
			const updated = await nango.getConfig(key);
			equal(
				[updated.oauth_client_id, updated.oauth_client_secret, updated.oauth_scopes],
				["id-2", "secret-2", "repo"],
				"updated row",
			);
		},
	},
	{
		name: "a custom config carries its own endpoints and authorization params",
		async run(context) {
			const nango = client(context);
			const key = unique(context, "custom");
			await nango.createConfig({
				provider_config_key: key,
				provider: "my-own-idp",
				oauth_client_id: "id",
				oauth_client_secret: "secret",
				oauth_scopes: "openid email",
				authorization_url: "https://idp.example.com/authorize",
				token_url: "https://idp.example.com/token",
				authorization_params: { prompt: "consent" },
			});
			const config = await nango.getConfig(key);
			equal(
				[
					config.template?.authorization_url,
					config.template?.token_url,
					config.template?.authorization_params,
				],
				["https://idp.example.com/authorize", "https://idp.example.com/token", { prompt: "consent" }],
				"custom template fields",
			);
		},
	},
	{
		name: "createConfig refuses a duplicate key with 409 duplicate_provider_config",
		async run(context) {
			const nango = client(context);
			const key = unique(context, "dup");
			const body = githubConfigBody(key);
			await nango.createConfig(body);
			await rejects(
				nango.createConfig(body),
				{ type: context.sdk.NangoError, status: 409, code: "duplicate_provider_config" },
				"second createConfig",
			);
		},
	},
	{
		name: "deleteConfig refuses while connections exist, and force deletes them too",
		async run(context) {
			const nango = client(context);
			const key = unique(context, "del");
			await nango.createConfig(githubConfigBody(key));
			await nango.importConnection({ provider_config_key: key, connection_id: "ivy", access_token: "t" });
			await rejects(
				nango.deleteConfig(key),
				{ type: context.sdk.NangoError, status: 409, code: "config_has_connections" },
				"deleteConfig without force",
			);
			await nango.deleteConfig(key, { force: true });
			await rejects(
				nango.getConfig(key),
				{ type: context.sdk.NangoError, status: 404, code: "unknown_provider_config" },
				"getConfig after delete",
			);
			await rejects(
				nango.getToken(key, "ivy"),
				{ type: context.sdk.NangoError, status: 404, code: "unknown_provider_config" },
				"connection read after forced delete",
			);
		},
	},
	{
		name: "listProviders and getProvider serve the catalog; an unknown template is a 404",
		async run(context) {
			const nango = client(context);
			const { providers } = await nango.listProviders();
			const github = providers.find((provider) => provider.key === "github");
			check(github, "the catalog lists github");
			equal(github.auth_mode, "OAUTH2", "github auth mode");
			const template = await nango.getProvider("github");
			equal(template.key, "github", "getProvider key");
			check(template.authorization_url.startsWith("https://github.com/"), "github authorization_url");
			await rejects(
				nango.getProvider("no-such-provider"),
				{ type: context.sdk.NangoError, status: 404, code: "unknown_provider_template" },
				"unknown template",
			);
		},
	},
];
