import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { cliHelp, readmeWithHelp } from "../../scripts/readme-cli.mjs";

it("the README's CLI reference is the CLI's own help text", () => {
	const readme = readFileSync(path.resolve(import.meta.dirname, "../../README.md"), "utf8");
	const help: string = cliHelp();
	expect(help).toContain("config:create");
	expect(readme).toContain(help);
	expect(readmeWithHelp(readme, help)).toBe(readme);
});
