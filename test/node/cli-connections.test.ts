/**
 * The CLI's connection and token commands as a real process against the real worker: import,
 * list, get (tokens redacted), token:get (the only place tokens are printed), delete.
 * Tests share one worker and run in order.
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
	ACCESS_TOKEN,
	CLIENT_ID,
	CLIENT_SECRET,
	expectNoSecrets,
	REFRESH_TOKEN,
	tableRows,
	useCliWorker,
} from "./support/cli.js";

const SPECIAL_ID = "alice@example.com/x y ü";
const { api, cli } = useCliWorker();

beforeAll(async () => {
	const created = await cli(["config:create", "github", "github", CLIENT_ID, CLIENT_SECRET, "read,write"]);
	expect(created.code).toBe(0);
});

describe("connection and token commands", () => {
	it("connection:import stores the tokens without printing them", async () => {
		const result = await cli([
			"connection:import",
			"github",
			SPECIAL_ID,
			"--access-token",
			ACCESS_TOKEN,
			"--refresh-token",
			REFRESH_TOKEN,
			"--expires-at",
			"2099-01-01T00:00:00Z",
			"--connection-config",
			"subdomain=acme",
		]);
		expect(result).toMatchObject({ code: 0, stdout: `✓ Imported connection '${SPECIAL_ID}' of 'github'.\n` });
		expectNoSecrets(result);
	});

	it("connection:import without tokens, or with both kinds, is a usage error and sends nothing", async () => {
		const none = await cli(["connection:import", "github", "no-tokens"]);
		expect(none.code).toBe(2);
		expect(none.stderr).toContain("--access-token");
		const both = await cli([
			"connection:import",
			"github",
			"no-tokens",
			"--access-token",
			"a",
			"--oauth-token",
			"b",
		]);
		expect(both.code).toBe(2);
		expect(both.stderr).toContain("one kind of credentials");
		expect(await api("/connection/no-tokens?provider_config_key=github")).toMatchObject({
			code: "unknown_connection",
		});
	});

	it("connection:list prints a table and --json the worker's JSON", async () => {
		const human = await cli(["connection:list"]);
		expect(human.code).toBe(0);
		const [header, row] = tableRows(human.stdout);
		expect(header).toEqual(["PROVIDER CONFIG KEY", "CONNECTION ID", "CREATED"]);
		expect(row?.slice(0, 2)).toEqual(["github", SPECIAL_ID]);
		const json = await cli(["connection:list", "--json"]);
		expect(JSON.parse(json.stdout)).toEqual(await api("/connections"));
	});

	it("connection:get shows the connection but never its tokens, even with --json", async () => {
		const human = await cli(["connection:get", "github", SPECIAL_ID]);
		expect(human.code).toBe(0);
		expect(human.stdout).toMatch(/^expires at\s+2099-01-01T00:00:00\.000Z$/m);
		expect(human.stdout).toMatch(/^refresh token\s+yes$/m);
		expect(human.stdout).toMatch(/^connection config\s+\{"subdomain":"acme"\}$/m);
		expectNoSecrets(human);
		const json = await cli(["connection:get", "github", SPECIAL_ID, "--json"]);
		expectNoSecrets(json);
		const printed = JSON.parse(json.stdout);
		const server = (await api(
			`/connection/${encodeURIComponent(SPECIAL_ID)}?provider_config_key=github`,
		)) as {
			credentials: Record<string, unknown>;
		};
		// Everything but the secret values is the worker's object.
		expect(printed).toEqual({
			...server,
			credentials: {
				...server.credentials,
				access_token: "[redacted: use token:get]",
				refresh_token: "[redacted: use token:get]",
				raw: "[redacted: use token:get]",
			},
		});
	});

	it("token:get prints the bare access token; --json the worker's connection object", async () => {
		const human = await cli(["token:get", "github", SPECIAL_ID]);
		expect(human).toMatchObject({ code: 0, stdout: `${ACCESS_TOKEN}\n` });
		const json = await cli(["token:get", "github", SPECIAL_ID, "--json"]);
		expect(JSON.parse(json.stdout)).toEqual(
			await api(`/connection/${encodeURIComponent(SPECIAL_ID)}?provider_config_key=github`),
		);
	});

	it("token:get of an OAuth 1.0a connection prints token and token secret", async () => {
		const providers = (await api("/providers")) as { providers: { key: string; auth_mode: string }[] };
		const oauth1 = providers.providers.find((provider) => provider.auth_mode === "OAUTH1");
		expect(oauth1).toBeDefined();
		const created = await cli(["config:create", "legacy", oauth1?.key ?? "", "key", "secret", "read"]);
		expect(created.code).toBe(0);
		const imported = await cli([
			"connection:import",
			"legacy",
			"bob",
			"--oauth-token",
			"oauth-token-1",
			"--oauth-token-secret",
			"oauth-secret-1",
		]);
		expect(imported.code).toBe(0);
		const result = await cli(["token:get", "legacy", "bob"]);
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/^oauth_token\s+oauth-token-1$/m);
		expect(result.stdout).toMatch(/^oauth_token_secret\s+oauth-secret-1$/m);
	});

	it("config:delete refuses while connections exist; --force deletes them too", async () => {
		const refused = await cli(["config:delete", "legacy"]);
		expect(refused.code).toBe(1);
		expect(refused.stderr).toContain("config_has_connections");
		expect(refused.stderr).toContain("--force");
		const forced = await cli(["config:delete", "legacy", "--force"]);
		expect(forced).toMatchObject({
			code: 0,
			stdout: "✓ Deleted provider config 'legacy' and its connections.\n",
		});
		expect(await api("/config/legacy")).toMatchObject({ code: "unknown_provider_config" });
	});

	it("connection:delete removes it; reading it again fails with unknown_connection", async () => {
		const deleted = await cli(["connection:delete", "github", SPECIAL_ID]);
		expect(deleted).toMatchObject({ code: 0, stdout: `✓ Deleted connection '${SPECIAL_ID}' of 'github'.\n` });
		const again = await cli(["token:get", "github", SPECIAL_ID]);
		expect(again.code).toBe(1);
		expect(again.stdout).toBe("");
		expect(again.stderr).toContain("Unknown connection.");
		expect(again.stderr).toContain("unknown_connection");
		const json = await cli(["connection:get", "github", SPECIAL_ID, "--json"]);
		expect(json.code).toBe(1);
		expect(JSON.parse(json.stderr)).toMatchObject({ code: "unknown_connection" });
	});

	it("connection:import takes an API key or basic credentials; get redacts them, token:get prints them", async () => {
		// Catalog templates of those modes need no OAuth client: the placeholders are ignored.
		expect((await cli(["config:create", "keyed", "airtable-pat", "-", "-", "-"])).code).toBe(0);
		expect((await cli(["config:create", "basic", "ashby", "-", "-", "-"])).code).toBe(0);
		const keyed = await cli(["connection:import", "keyed", "k1", "--api-key", "api-key-SENSITIVE"]);
		expect(keyed.code).toBe(0);
		const basic = await cli([
			"connection:import",
			"basic",
			"b1",
			"--username",
			"ada",
			"--password",
			"pw-SENSITIVE",
		]);
		expect(basic.code).toBe(0);
		for (const [key, id] of [
			["keyed", "k1"],
			["basic", "b1"],
		] as const) {
			const json = await cli(["connection:get", key, id, "--json"]);
			expect(json.code).toBe(0);
			expect(json.stdout).not.toContain("SENSITIVE");
		}
		expect((await cli(["token:get", "keyed", "k1"])).stdout).toBe("api-key-SENSITIVE\n");
		expect((await cli(["token:get", "basic", "b1"])).stdout).toMatch(/^password\s+pw-SENSITIVE$/m);
	});
});
