#!/usr/bin/env node
/**
 * Builds the frontend SDK into dist/: `index.js` (the minified browser ES module, the package's
 * entry) and `frontend.txt`, the same bytes for the worker to import as Text and serve at
 * /sdk/frontend.js. `--types` also emits the .d.ts files (for publishing).
 *
 * Run by `npm run build:frontend` (the root's `prepare`), by wrangler's `[build]` before every
 * `wrangler dev`/`deploy`, and as a vitest globalSetup. Files are written to a temporary name and
 * renamed, so a worker starting while another build runs never reads half a file.
 */
import { execFileSync } from "node:child_process";
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, "dist");

export async function build({ types = false } = {}) {
	const result = await esbuild.build({
		entryPoints: [path.join(here, "src/index.ts")],
		bundle: true,
		format: "esm",
		platform: "browser",
		target: ["es2022", "chrome100", "firefox100", "safari15.4"],
		minify: true,
		legalComments: "none",
		write: false,
		logLevel: "warning",
	});
	const code = result.outputFiles[0]?.contents;
	if (!code) throw new Error("esbuild produced no output");
	await mkdir(dist, { recursive: true });
	await Promise.all([atomicWrite("index.js", code), atomicWrite("frontend.txt", code)]);
	if (types) {
		execFileSync(process.execPath, [tscPath(), "-p", path.join(here, "tsconfig.json")], { stdio: "inherit" });
	}
	return code.byteLength;
}

async function atomicWrite(name, contents) {
	const temporary = path.join(dist, `.${name}.${process.pid}.${Date.now()}.tmp`);
	await writeFile(temporary, contents);
	await rename(temporary, path.join(dist, name));
}

function tscPath() {
	return fileURLToPath(import.meta.resolve("typescript/bin/tsc"));
}

/** vitest globalSetup entry */
export default async function setup() {
	await build();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const bytes = await build({ types: process.argv.includes("--types") });
	if (!process.env.CI) console.log(`sdk/frontend: ${bytes} bytes`);
}
