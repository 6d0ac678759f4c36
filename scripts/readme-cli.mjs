#!/usr/bin/env node
// Writes `nango help` into README.md between the cli-help markers, so the CLI reference is the
// CLI's own help text. test/node/cli-readme.test.ts fails when the two drift apart.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");

export function cliHelp() {
	return execFileSync(process.execPath, [path.join(ROOT, "cli/bin.mjs"), "help"], {
		encoding: "utf8",
		env: { ...process.env, NO_COLOR: "1", COLUMNS: "120" },
	}).trimEnd();
}

export function readmeWithHelp(readme, help) {
	return readme.replace(
		/<!-- cli-help:start -->[\s\S]*<!-- cli-help:end -->/,
		`<!-- cli-help:start -->\n\`\`\`\n${help}\n\`\`\`\n<!-- cli-help:end -->`,
	);
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const file = path.join(ROOT, "README.md");
	writeFileSync(file, readmeWithHelp(readFileSync(file, "utf8"), cliHelp()));
}
