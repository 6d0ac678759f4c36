/**
 * The CLI (README.md#cli, issue 5) as a real process against the real worker: help, version, the
 * config commands and the catalog. Human output, --json output, exit codes, secrets kept off
 * the screen. Tests share one worker and run in order: later ones use what earlier ones created.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
	CLIENT_ID,
	CLIENT_SECRET,
	expectNoSecrets,
	npx,
	ROOT,
	tableRows,
	useCliWorker,
} from "./support/cli.js";

const { api, cli, env } = useCliWorker();

describe("help and version", () => {
	it("--version prints the package version", async () => {
		const { version } = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
			version: string;
		};
		const result = await cli(["--version"]);
		expect(result).toMatchObject({ code: 0, stdout: `${version}\n` });
	});

	it("help lists every command; help <command> shows its arguments and options", async () => {
		const all = await cli(["help"]);
		expect(all.code).toBe(0);
		for (const command of [
			"config:list",
			"config:get",
			"config:create",
			"config:edit",
			"config:delete",
			"connection:get",
			"connection:list",
			"connection:delete",
			"connection:import",
			"token:get",
			"providers:list",
		]) {
			expect(all.stdout).toContain(command);
		}
		expect(all.stdout).toContain("NANGO_HOSTPORT");
		const one = await cli(["help", "config:create"]);
		expect(one.code).toBe(0);
		expect(one.stdout).toContain("Usage: nango config:create [options] <key> <provider> <client_id>");
		expect(one.stdout).toContain("--authorization-url <url>");
		expect(one.stdout).toContain("--param <name=value>");
	});
});

describe("config commands", () => {
	it("config:list on a fresh worker says there is nothing yet", async () => {
		const result = await cli(["config:list"]);
		expect(result.code).toBe(0);
		expect(result.stdout).toContain("No provider configs yet");
	});

	it('the seed document\'s `npx nango config:create github github <id> <secret> "read,write"`', async () => {
		const result = await npx(
			"nango",
			["config:create", "github", "github", CLIENT_ID, CLIENT_SECRET, "read,write"],
			env(),
		);
		expect(result.code).toBe(0);
		expect(result.stdout).toBe("✓ Created provider config 'github' (provider github).\n");
		expectNoSecrets(result);
		expect(await api("/config/github")).toMatchObject({
			config: { unique_key: "github", oauth_client_id: CLIENT_ID, oauth_scopes: "read,write" },
		});
	});

	it("`npx nango config:list` and `npx pizzly config:list` print the same aligned table", async () => {
		const nango = await npx("nango", ["config:list"], env());
		const pizzly = await npx("pizzly", ["config:list"], env());
		expect(nango.code).toBe(0);
		expect(pizzly.code).toBe(0);
		expect(pizzly.stdout).toBe(nango.stdout);
		const [header, row, ...rest] = tableRows(nango.stdout);
		expect(header).toEqual(["KEY", "PROVIDER", "CLIENT ID", "SCOPES", "CREATED"]);
		expect(row?.slice(0, 4)).toEqual(["github", "github", CLIENT_ID, "read,write"]);
		expect(rest).toEqual([]);
		// Aligned: every column starts at the same offset on every line.
		const lines = nango.stdout.trimEnd().split("\n");
		expect(lines[1]?.indexOf(CLIENT_ID)).toBe(lines[0]?.indexOf("CLIENT ID"));
		expectNoSecrets(nango);
	});

	it("config:list --json prints the worker's JSON", async () => {
		const result = await cli(["config:list", "--json"]);
		expect(result.code).toBe(0);
		expect(JSON.parse(result.stdout)).toEqual(await api("/config"));
		expectNoSecrets(result);
	});

	it("config:get shows the client secret, as a person and as JSON", async () => {
		const human = await cli(["config:get", "github"]);
		expect(human.code).toBe(0);
		expect(human.stdout).toMatch(new RegExp(`^client secret\\s+${CLIENT_SECRET}$`, "m"));
		expect(human.stdout).toMatch(/^scopes\s+read,write$/m);
		const json = await cli(["config:get", "github", "--json"]);
		expect(JSON.parse(json.stdout)).toEqual(await api("/config/github"));
	});

	it("config:edit replaces the config", async () => {
		const result = await cli(["config:edit", "github", "github", "id-2", CLIENT_SECRET, "repo, user"]);
		expect(result).toMatchObject({ code: 0, stdout: "✓ Updated provider config 'github'.\n" });
		expect(await api("/config/github")).toMatchObject({
			config: { oauth_client_id: "id-2", oauth_scopes: "repo,user" },
		});
	});

	it("config:create with custom endpoints and repeated --param", async () => {
		const result = await cli([
			"config:create",
			"my-idp",
			"my-idp",
			"id",
			CLIENT_SECRET,
			"openid,email",
			"--authorization-url",
			"https://idp.example.com/authorize",
			"--token-url",
			"https://idp.example.com/token",
			"--param",
			"prompt=consent",
			"--param",
			"redirect=https://x.example/?a=b",
		]);
		expect(result.code).toBe(0);
		expectNoSecrets(result);
		expect(await api("/config/my-idp")).toMatchObject({
			config: {
				template: {
					authorization_url: "https://idp.example.com/authorize",
					token_url: "https://idp.example.com/token",
					authorization_params: { prompt: "consent", redirect: "https://x.example/?a=b" },
				},
			},
		});
	});

	it("a duplicate key fails with the worker's message and code, exit 1", async () => {
		const human = await cli(["config:create", "github", "github", "id", CLIENT_SECRET, "repo"]);
		expect(human.code).toBe(1);
		expect(human.stdout).toBe("");
		expect(human.stderr).toContain("A provider config with this key already exists.");
		expect(human.stderr).toContain("duplicate_provider_config");
		expectNoSecrets(human);
		const json = await cli(["config:create", "github", "github", "id", CLIENT_SECRET, "repo", "--json"]);
		expect(json.code).toBe(1);
		expect(JSON.parse(json.stderr)).toEqual({
			error: "A provider config with this key already exists.",
			code: "duplicate_provider_config",
		});
	});

	it("an unknown key fails with unknown_provider_config, exit 1", async () => {
		const result = await cli(["config:get", "nope"]);
		expect(result.code).toBe(1);
		expect(result.stderr).toContain("unknown_provider_config");
		expect(result.stderr).not.toMatch(/\n\s+at /);
	});

	it("bad arguments are usage errors (exit 2) and send nothing", async () => {
		const missing = await cli(["config:create", "half-done", "github"]);
		expect(missing.code).toBe(2);
		expect(missing.stderr).toContain("missing required argument 'client_id'");
		const badParam = await cli([
			"config:create",
			"bad-param",
			"github",
			"id",
			"secret",
			"repo",
			"--param",
			"novalue",
		]);
		expect(badParam.code).toBe(2);
		expect(badParam.stderr).toContain("expected name=value");
		expect(await api("/config/bad-param")).toMatchObject({ code: "unknown_provider_config" });
		const unknown = await cli(["config:lsit"]);
		expect(unknown.code).toBe(2);
		expect(unknown.stderr).toContain("unknown command 'config:lsit'");
		expect(unknown.stderr).toContain("config:list");
	});
});

describe("providers:list", () => {
	it("lists the catalog and filters by key or name", async () => {
		const all = await cli(["providers:list"]);
		expect(all.code).toBe(0);
		const [header, ...rows] = tableRows(all.stdout);
		expect(header).toEqual(["KEY", "NAME", "AUTH MODE"]);
		expect(rows.find((row) => row[0] === "github")?.[2]).toBe("OAUTH2");
		const filtered = await cli(["providers:list", "GIT"]);
		const [, ...matches] = tableRows(filtered.stdout);
		expect(matches.length).toBeGreaterThan(0);
		expect(matches.length).toBeLessThan(rows.length);
		for (const row of matches) expect(`${row[0]} ${row[1]}`.toLowerCase()).toContain("git");
		const json = await cli(["providers:list", "git", "--json"]);
		const server = (await api("/providers")) as { providers: { key: string; name: string }[] };
		expect(JSON.parse(json.stdout)).toEqual({
			providers: server.providers.filter((p) => `${p.key}\n${p.name}`.toLowerCase().includes("git")),
		});
	});
});
