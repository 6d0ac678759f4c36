/**
 * The committed catalog (src/providers/catalog.json, docs/providers.md) is what
 * scripts/gen-catalog.mjs makes from data/providers/providers.tsv and api-facts.tsv: the generator runs into a
 * temporary directory and its output must match the committed files byte for byte.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const script = path.join(root, "scripts/gen-catalog.mjs");
const table = path.join(root, "data/providers/providers.tsv");
const apiFacts = path.join(root, "data/providers/api-facts.tsv");
const GENERATED = ["src/providers/catalog.json", "docs/providers.md"];

const temp = mkdtempSync(path.join(tmpdir(), "catalog-generated-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** Runs the generator on `tsv` into a fresh directory; returns that directory. */
function generate(name: string, tsv = table, facts = apiFacts): string {
	const out = path.join(temp, name);
	execFileSync(process.execPath, [script, "--out", out, "--api-facts", facts, tsv], {
		cwd: root,
		stdio: "pipe",
	});
	return out;
}

/** The generated files whose bytes differ from the committed ones. */
function staleFiles(out: string): string[] {
	return GENERATED.filter(
		(file) => !readFileSync(path.join(out, file)).equals(readFileSync(path.join(root, file))),
	);
}

it("the committed catalog and docs/providers.md are generated from data/providers/providers.tsv", () => {
	const stale = staleFiles(generate("committed"));
	expect(
		stale,
		`${stale.join(" and ")}: out of date with data/providers/*.tsv or scripts/catalog-quirks.mjs: run \`npm run catalog\` and commit the result`,
	).toEqual([]);
});

it("a changed row makes both generated files differ (the check above can fail)", () => {
	const lines = readFileSync(table, "utf8").split("\n");
	const row = lines.findIndex((line) => line.startsWith("github\t"));
	expect(row, "the table has a github row").toBeGreaterThan(0);
	const cells = lines[row]?.split("\t") ?? [];
	const name = `${cells[1]} (renamed)`;
	cells[1] = name;
	lines[row] = cells.join("\t");
	const modified = path.join(temp, "providers.tsv");
	writeFileSync(modified, lines.join("\n"));

	const out = generate("modified", modified);
	expect(staleFiles(out)).toEqual(GENERATED);
	const catalog = JSON.parse(readFileSync(path.join(out, "src/providers/catalog.json"), "utf8"));
	expect(catalog.github.name).toBe(name);
	expect(readFileSync(path.join(out, "docs/providers.md"), "utf8")).toContain(`| \`github\` | ${name} |`);
});

it("a changed api-facts row changes the template's proxy in both generated files", () => {
	const lines = readFileSync(apiFacts, "utf8").split("\n");
	const row = lines.findIndex((line) => line.startsWith("1password-scim\t"));
	expect(row, "the table has a 1password-scim row").toBeGreaterThan(0);
	const cells = lines[row]?.split("\t") ?? [];
	cells[3] = "https://${connectionConfig.domain}/scim/v3";
	lines[row] = cells.join("\t");
	const modified = path.join(temp, "api-facts.tsv");
	writeFileSync(modified, lines.join("\n"));

	const out = generate("modified-api", table, modified);
	expect(staleFiles(out)).toEqual(GENERATED);
	const catalog = JSON.parse(readFileSync(path.join(out, "src/providers/catalog.json"), "utf8"));
	expect(catalog["1password-scim"].proxy.base_url).toBe("https://${connectionConfig.domain}/scim/v3");
});
