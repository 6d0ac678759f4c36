#!/usr/bin/env node
// `npm run bench`: the production bundle in workerd (Miniflare, no dev proxy) with a D1 holding
// 10,000 connections, driven by autocannon from a separate process; every figure below comes
// from this one run, so ratios compare like with like. Loopback only, bounded in time.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { buildBundle, SECRET, startWorker } from "./worker.mjs";

const ROOT = path.resolve(import.meta.dirname, "..");
const arg = (name, fallback) => {
	const i = process.argv.indexOf(`--${name}`);
	return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CONNECTIONS = arg("connections", 10_000);
const CONFIGS = arg("configs", 20);
const DURATION = arg("duration", 8);
const CONCURRENCY = arg("concurrency", 32);
const auth = { authorization: `Bearer ${SECRET}` };
const run = promisify(execFile);

const tmp = path.join(ROOT, ".tmp", "bench");
rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp, { recursive: true });

const log = (line) => process.stderr.write(`${line}\n`);

log("building the deploy bundle (wrangler deploy --dry-run)…");
const bundle = buildBundle(path.join(tmp, "build"));
const bundleBytes = readFileSync(bundle);

log("starting workerd (Miniflare)…");
const started = performance.now();
const worker = await startWorker(bundle);
const readyMs = performance.now() - started;
const timed = async (url, init) => {
	const t = performance.now();
	const response = await fetch(url, init);
	await response.arrayBuffer();
	if (!response.ok) throw new Error(`${url}: ${response.status}`);
	return performance.now() - t;
};
const firstHealth = await timed(`${worker.url}/health`);
const warmHealth = [];
for (let i = 0; i < 20; i++) warmHealth.push(await timed(`${worker.url}/health`));

log(`seeding ${CONFIGS} configs and ${CONNECTIONS} connections through the API…`);
for (let c = 0; c < CONFIGS; c++) {
	await post("/config", {
		provider_config_key: `cfg-${c}`,
		provider: "github",
		oauth_client_id: `client-${c}`,
		oauth_client_secret: `secret-${c}`,
		oauth_scopes: "repo,user",
	});
}
const far = new Date(Date.now() + 365 * 24 * 3600_000).toISOString();
let seeded = 0;
await Promise.all(
	Array.from({ length: 64 }, async () => {
		while (seeded < CONNECTIONS) {
			const i = seeded++;
			await post("/connection", {
				provider_config_key: `cfg-${i % CONFIGS}`,
				connection_id: `user-${i}@example.com`,
				access_token: `access-${i}-${"x".repeat(40)}`,
				refresh_token: `refresh-${i}-${"y".repeat(40)}`,
				expires_at: far,
				raw: { token_type: "bearer", scope: "repo,user", expires_in: 28800 },
			});
		}
	}),
);
const firstToken = await timed(`${worker.url}/connection/user-1@example.com?provider_config_key=cfg-1`, {
	headers: auth,
});

const tokenPaths = Array.from({ length: 2000 }, (_, k) => {
	const i = (k * 7919) % CONNECTIONS;
	return `/connection/${encodeURIComponent(`user-${i}@example.com`)}?provider_config_key=cfg-${i % CONFIGS}`;
});
const results = {};
for (let round = 1; round <= 2; round++) {
	log(
		`round ${round}: constant route, one D1 read, token read, ${DURATION}s each at ${CONCURRENCY} connections…`,
	);
	results[`health${round}`] = await load({ paths: ["/health"] });
	results[`storage${round}`] = await load({ paths: ["/health/storage"] });
	results[`token${round}`] = await load({ paths: tokenPaths, headers: auth });
}
log("list routes…");
// The early list answers one page (1,000 rows by default): read every page in turn.
const PAGES = Math.ceil(CONNECTIONS / 1000);
results.list = await load({
	paths: Array.from({ length: PAGES }, (_, page) => `/connection?page=${page}`),
	headers: auth,
	duration: Math.max(3, DURATION / 2),
});
results.listFiltered = await load({
	paths: Array.from({ length: CONFIGS }, (_, c) => `/connections?integrationId=cfg-${c}`),
	headers: auth,
	duration: Math.max(3, DURATION / 2),
});
await worker.stop();

const mean = (a, b) => (a + b) / 2;
const health = { rps: mean(results.health1.rps, results.health2.rps) };
const token = { rps: mean(results.token1.rps, results.token2.rps) };
const storage = { rps: mean(results.storage1.rps, results.storage2.rps) };
for (const key of Object.keys(results)) {
	if (results[key].non2xx || results[key].errors) throw new Error(`${key}: ${JSON.stringify(results[key])}`);
}

const frontend = frontendSize();
let fanin = "";
if (existsSync(path.join(ROOT, "bench/refresh-fanin.mjs"))) {
	log("refresh fan-in…");
	const child = run(process.execPath, [path.join(ROOT, "bench/refresh-fanin.mjs"), "--trials", "5"], {
		cwd: ROOT,
		timeout: 180_000,
	});
	child.child.stderr?.pipe(process.stderr);
	fanin = (await child).stdout;
}

const row = (name, r) => `| ${name} | ${Math.round(r.rps).toLocaleString("en-US")} | ${r.p50} | ${r.p99} |`;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const lines = [
	`Benchmark: ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, workerd via Miniflare (no dev proxy), autocannon -c ${CONCURRENCY} in a separate process, ${DURATION}s per run, D1 with ${CONFIGS} configs and ${CONNECTIONS.toLocaleString("en-US")} connections.`,
	"",
	"| route | req/s | p50 ms | p99 ms |",
	"|---|---:|---:|---:|",
	row("`GET /health` (constant JSON), round 1", results.health1),
	row("`GET /health/storage` (one `SELECT 1` on D1), round 1", results.storage1),
	row("`GET /connection/:id` (fresh token), round 1", results.token1),
	row("`GET /health`, round 2", results.health2),
	row("`GET /health/storage`, round 2", results.storage2),
	row("`GET /connection/:id`, round 2", results.token2),
	row(
		`\`GET /connection?page=\` (one page of 1,000 of ${CONNECTIONS.toLocaleString("en-US")})`,
		results.list,
	),
	row(
		`\`GET /connections?integrationId=\` (${Math.round(CONNECTIONS / CONFIGS)} each)`,
		results.listFiltered,
	),
	"",
	`- token read / constant route throughput ratio: **${(token.rps / health.rps).toFixed(2)}** (target ≥ 0.8)`,
	`- token read / one-D1-read route ratio: **${(token.rps / storage.rps).toFixed(2)}**; one D1 read / constant route: ${(storage.rps / health.rps).toFixed(2)}`,
	`- cold start: workerd ready in ${Math.round(readyMs)} ms; first request ${firstHealth.toFixed(1)} ms vs ${median(warmHealth).toFixed(1)} ms warm (median of 20); first token read after seeding ${firstToken.toFixed(1)} ms`,
	`- worker bundle (wrangler deploy --dry-run): ${kb(bundleBytes.length)}, **${kb(gzipSync(bundleBytes).length)} gzip** (target ≤ 150 KB)`,
	frontend
		? `- frontend SDK (${frontend.file}): ${kb(frontend.raw)}, **${kb(frontend.gzip)} gzip** (target ≤ 4 KB)`
		: "- frontend SDK: not built",
];
const report = `${lines.join("\n")}\n${fanin ? `\n${fanin.trim()}\n` : ""}`;
writeFileSync(path.join(ROOT, ".tmp", "bench-report.md"), report);
process.stdout.write(report);

async function post(route, body) {
	const response = await fetch(`${worker.url}${route}`, {
		method: "POST",
		headers: { ...auth, "content-type": "application/json" },
		body: JSON.stringify(body),
	});
	if (!response.ok) throw new Error(`${route}: ${response.status} ${await response.text()}`);
	await response.arrayBuffer();
}

async function load({ paths, headers = {}, duration = DURATION }) {
	const { stdout } = await run(
		process.execPath,
		[
			path.join(ROOT, "bench/load.mjs"),
			JSON.stringify({ url: worker.url, paths, headers, duration, connections: CONCURRENCY }),
		],
		{ timeout: (duration + 30) * 1000, maxBuffer: 16 * 1024 * 1024 },
	);
	return JSON.parse(stdout);
}

function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

function frontendSize() {
	const candidates = [
		"sdk/frontend/dist/frontend.js",
		"sdk/frontend/dist/nango.js",
		"sdk/frontend/dist/index.js",
	];
	const file = candidates.find((candidate) => existsSync(path.join(ROOT, candidate)));
	if (!file) return undefined;
	const raw = readFileSync(path.join(ROOT, file));
	return { file, raw: raw.length, gzip: gzipSync(raw).length };
}
