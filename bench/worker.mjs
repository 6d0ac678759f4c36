// Starts the production bundle in workerd through Miniflare directly (no `wrangler dev` proxy,
// which caps throughput near 850 req/s here: NOTES.md), with an in-memory D1 migrated from
// migrations/, and the bindings wrangler.toml declares.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

const ROOT = path.resolve(import.meta.dirname, "..");
export const SECRET = "bench-secret-key";
const ENCRYPTION_KEY = "YmVuY2gtZW5jcnlwdGlvbi1rZXktMzItYnl0ZXMhISE=";

/** `wrangler deploy --dry-run --outdir`: the exact bundle a deploy uploads. */
export function buildBundle(outdir) {
	const result = spawnSync(
		path.join(ROOT, "node_modules/.bin/wrangler"),
		["deploy", "--dry-run", "--outdir", outdir],
		{
			cwd: ROOT,
			encoding: "utf8",
			env: { ...process.env, WRANGLER_SEND_METRICS: "false", WRANGLER_HIDE_BANNER: "true" },
		},
	);
	if (result.status !== 0)
		throw new Error(`wrangler deploy --dry-run failed:\n${result.stdout}${result.stderr}`);
	return path.join(outdir, "index.js");
}

export async function startWorker(bundlePath, extra = {}, vars = {}) {
	const { workerOptions } = unstable_getMiniflareWorkerOptions(path.join(ROOT, "wrangler.toml"));
	// Miniflare 5 takes a new option shape; wrangler still describes a worker in v4's.
	const mf = new Miniflare(
		convertV4MiniflareOptions({
			compatibilityDate: workerOptions.compatibilityDate,
			compatibilityFlags: workerOptions.compatibilityFlags,
			d1Databases: workerOptions.d1Databases,
			durableObjects: workerOptions.durableObjects,
			name: "bench",
			// The bundle's entry plus the modules wrangler wrote beside it (text, data).
			modulesRoot: path.dirname(bundlePath),
			modules: bundleModules(bundlePath),
			bindings: { NANGO_SECRET_KEY: SECRET, NANGO_ENCRYPTION_KEY: ENCRYPTION_KEY, ...vars },
			host: "127.0.0.1",
			port: 0,
			cf: false,
			...extra,
		}),
	);
	const url = (await mf.ready).origin;
	const db = await mf.getD1Database("DB");
	for (const file of readdirSync(path.join(ROOT, "migrations"))
		.filter((f) => f.endsWith(".sql"))
		.sort()) {
		const sql = readFileSync(path.join(ROOT, "migrations", file), "utf8").replace(/^--.*$/gm, "");
		const statements = sql
			.split(";")
			.map((s) => s.trim())
			.filter(Boolean);
		await db.batch(statements.map((statement) => db.prepare(statement)));
	}
	return { url, mf, stop: () => mf.dispose() };
}

/** The entry first (workerd runs the first module), then the text/data modules beside it. */
function bundleModules(bundlePath) {
	const dir = path.dirname(bundlePath);
	const others = readdirSync(dir)
		.map((file) => path.join(dir, file))
		.filter((file) => file !== bundlePath && /\.(txt|bin)$/.test(file))
		.map((file) => ({ type: file.endsWith(".txt") ? "Text" : "Data", path: file }));
	return [{ type: "ESModule", path: bundlePath }, ...others];
}
