#!/usr/bin/env node
// `npm run dev`: the local worker on http://localhost:3003 with a local D1. On first run it
// writes an encryption key into the git-ignored .dev.vars; every run applies pending migrations,
// then starts `wrangler dev` with offline-friendly settings (no Request.cf download, no metrics).
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";

const quiet = {
	...process.env,
	CLOUDFLARE_CF_FETCH_ENABLED: "false",
	WRANGLER_SEND_METRICS: "false",
	WRANGLER_HIDE_BANNER: "true",
};

if (!existsSync(".dev.vars")) {
	const key = randomBytes(32).toString("base64");
	writeFileSync(
		".dev.vars",
		`# Local secrets for \`npm run dev\` (git-ignored). Generated on first run.\nNANGO_ENCRYPTION_KEY=${key}\n`,
		{ mode: 0o600 },
	);
	console.log("Generated .dev.vars with a new NANGO_ENCRYPTION_KEY.");
}

// Migrations print a table per run; show it only when something fails.
const migrate = spawnSync("wrangler", ["d1", "migrations", "apply", "DB", "--local"], {
	encoding: "utf8",
	env: { ...quiet, CI: "true" },
});
if (migrate.status !== 0) {
	process.stderr.write(`${migrate.stdout}${migrate.stderr}`);
	process.exit(migrate.status ?? 1);
}
const applied = /(\d+) commands? executed/.test(migrate.stdout)
	? "migrations applied"
	: "no pending migrations";
console.log(`Local D1 ready (${applied}).`);

const dev = spawn(
	"wrangler",
	["dev", "--show-interactive-dev-session=false", "--test-scheduled", ...process.argv.slice(2)],
	{
		stdio: "inherit",
		env: quiet,
	},
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => dev.kill(signal));
dev.on("exit", (code) => process.exit(code ?? 0));
