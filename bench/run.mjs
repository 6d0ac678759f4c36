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
/** connections imported (and timed) after the seed */
const IMPORTS = arg("imports", 2000);
/** connections read once each, with nothing warm */
const FIRST_READS = arg("first-reads", 6000);
/** busy connections in the Durable Object run */
const OBJECT_CONNECTIONS = arg("object-connections", 200);
const auth = { authorization: `Bearer ${SECRET}` };
const run = promisify(execFile);

const tmp = path.join(ROOT, ".tmp", "bench");
rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp, { recursive: true });

let loads = 0;
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
await seed(worker, CONFIGS, CONNECTIONS);
const importStarted = performance.now();
const imported = await seed(worker, CONFIGS, IMPORTS, CONNECTIONS);
const importRate = imported / ((performance.now() - importStarted) / 1000);
const firstToken = await timed(`${worker.url}${tokenPath(1)}`, { headers: auth });

// Connections the rounds read again and again; the first-ever reads use only the others.
const busy = Array.from({ length: 2000 }, (_, k) => (k * 7919) % CONNECTIONS);
const busySet = new Set(busy);
const unread = [];
for (let i = 2; i < CONNECTIONS && unread.length < FIRST_READS; i++) if (!busySet.has(i)) unread.push(i);
const results = {};
log(`first-ever reads: ${unread.length} connections nothing has read yet, each once…`);
results.first = await load({ paths: unread.map(tokenPath), headers: auth, amount: unread.length });

const tokenPaths = busy.map(tokenPath);
for (let round = 1; round <= 2; round++) {
	log(
		`round ${round}: constant route, one D1 read, token read, ${DURATION}s each at ${CONCURRENCY} connections…`,
	);
	results[`health${round}`] = await load({ paths: ["/health"] });
	results[`storage${round}`] = await load({ paths: ["/health/storage"] });
	// Warm-up, not measured, longer than the serve TTL (10 s): it fills the isolate's memory and,
	// through the first renewals, wakes each connection's object, so "warm" means both.
	// The first round's also creates the 2,000 objects (about 0.08 of a constant request each here).
	await load({ paths: tokenPaths, headers: auth, duration: round === 1 ? 30 : 12 });
	results[`token${round}`] = await load({ paths: tokenPaths, headers: auth });
}
log("list routes…");
const listDuration = Math.max(3, DURATION / 2);
const pages100 = Array.from(
	{ length: Math.ceil(CONNECTIONS / 100) },
	(_, page) => (page * 37) % Math.ceil(CONNECTIONS / 100),
);
results.page100 = await load({
	paths: pages100.map((page) => `/connections?limit=100&page=${page}`),
	headers: auth,
	duration: listDuration,
});
// The early list answers one page (1,000 rows by default): read every page in turn.
results.list = await load({
	paths: Array.from({ length: Math.ceil(CONNECTIONS / 1000) }, (_, page) => `/connection?page=${page}`),
	headers: auth,
	duration: listDuration,
});
results.listFiltered = await load({
	paths: Array.from({ length: CONFIGS }, (_, c) => `/connections?integrationId=cfg-${c}`),
	headers: auth,
	duration: listDuration,
});
await worker.stop();

// The production case the isolate's memory cannot help: a busy connection read from many
// isolates, each missing its own memory. Here: the same bundle with that memory off
// (NANGO_TOKEN_CACHE_SECONDS=0), so every read of a busy connection goes to its Durable Object.
log("token reads through warm Durable Objects (isolate memory off)…");
const objectWorker = await startWorker(bundle, {}, { NANGO_TOKEN_CACHE_SECONDS: "0" });
await seed(objectWorker, CONFIGS, OBJECT_CONNECTIONS);
const objectPaths = Array.from({ length: OBJECT_CONNECTIONS }, (_, i) => tokenPath(i));
// Warm-up: the first read of each is D1 (nothing known here), the second wakes its object.
await load({ url: objectWorker.url, paths: objectPaths, headers: auth, amount: OBJECT_CONNECTIONS * 3 });
results.objectHealth = await load({ url: objectWorker.url, paths: ["/health"] });
results.object = await load({ url: objectWorker.url, paths: objectPaths, headers: auth });
await objectWorker.stop();

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

let proxy = "";
if (existsSync(path.join(ROOT, "bench/proxy.mjs"))) {
	log("proxy…");
	const child = run(process.execPath, [path.join(ROOT, "bench/proxy.mjs")], { cwd: ROOT, timeout: 240_000 });
	child.child.stderr?.pipe(process.stderr);
	proxy = (await child).stdout;
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
	row("`GET /connection/:id`, first-ever read (nothing warm: one D1 read)", results.first),
	row("`GET /connection/:id` (fresh token, isolate memory warm), round 1", results.token1),
	row("`GET /health`, round 2", results.health2),
	row("`GET /health/storage`, round 2", results.storage2),
	row("`GET /connection/:id`, round 2", results.token2),
	row("`GET /health`, Durable Object run", results.objectHealth),
	row("`GET /connection/:id`, isolate memory off, Durable Object warm", results.object),
	row("`GET /connections?limit=100&page=` (one page of 100)", results.page100),
	row(
		`\`GET /connection?page=\` (one page of 1,000 of ${CONNECTIONS.toLocaleString("en-US")})`,
		results.list,
	),
	row(
		`\`GET /connections?integrationId=\` (${Math.round(CONNECTIONS / CONFIGS)} each)`,
		results.listFiltered,
	),
	"",
	`- token read, isolate memory warm / constant route: **${(token.rps / health.rps).toFixed(2)}** (target ≥ 0.9)`,
	`- token read through a warm Durable Object / constant route (same worker): **${(results.object.rps / results.objectHealth.rps).toFixed(2)}** (target ≥ 0.6)`,
	`- first-ever token read / constant route: **${(results.first.rps / health.rps).toFixed(2)}** (target ≥ 0.15)`,
	`- one page of 100 connections / constant route: **${(results.page100.rps / health.rps).toFixed(2)}** (target ≥ 0.3)`,
	`- import (\`POST /connection\`, 64 at a time from one Node process): **${Math.round(importRate).toLocaleString("en-US")}/s**`,
	`- token read / one-D1-read route ratio: **${(token.rps / storage.rps).toFixed(2)}**; one D1 read / constant route: ${(storage.rps / health.rps).toFixed(2)}`,
	`- cold start: workerd ready in ${Math.round(readyMs)} ms; first request ${firstHealth.toFixed(1)} ms vs ${median(warmHealth).toFixed(1)} ms warm (median of 20); first token read after seeding ${firstToken.toFixed(1)} ms`,
	`- worker bundle (wrangler deploy --dry-run): ${kb(bundleBytes.length)}, **${kb(gzipSync(bundleBytes).length)} gzip** (target ≤ 150 KB)`,
	frontend
		? `- frontend SDK (${frontend.file}): ${kb(frontend.raw)}, **${kb(frontend.gzip)} gzip** (target ≤ 4 KB)`
		: "- frontend SDK: not built",
];
const report = `${lines.join("\n")}\n${fanin ? `\n${fanin.trim()}\n` : ""}${proxy ? `\n${proxy.trim()}\n` : ""}`;
writeFileSync(path.join(ROOT, ".tmp", "bench-report.md"), report);
process.stdout.write(report);

/** `/connection/:id` of the i-th seeded connection. */
function tokenPath(i) {
	return `/connection/${encodeURIComponent(`user-${i}@example.com`)}?provider_config_key=cfg-${i % CONFIGS}`;
}

/** Configs (once) and `count` connections from index `from`, 64 requests at a time; answers the count. */
async function seed(target, configs, count, from = 0) {
	if (from === 0) {
		for (let c = 0; c < configs; c++) {
			await post(
				"/config",
				{
					provider_config_key: `cfg-${c}`,
					provider: "github",
					oauth_client_id: `client-${c}`,
					oauth_client_secret: `secret-${c}`,
					oauth_scopes: "repo,user",
				},
				target,
			);
		}
	}
	const far = new Date(Date.now() + 365 * 24 * 3600_000).toISOString();
	let next = from;
	await Promise.all(
		Array.from({ length: 64 }, async () => {
			while (next < from + count) {
				const i = next++;
				await post(
					"/connection",
					{
						provider_config_key: `cfg-${i % configs}`,
						connection_id: `user-${i}@example.com`,
						access_token: `access-${i}-${"x".repeat(40)}`,
						refresh_token: `refresh-${i}-${"y".repeat(40)}`,
						expires_at: far,
						raw: { token_type: "bearer", scope: "repo,user", expires_in: 28800 },
					},
					target,
				);
			}
		}),
	);
	return count;
}

async function post(route, body, target = worker) {
	const response = await fetch(`${target.url}${route}`, {
		method: "POST",
		headers: { ...auth, "content-type": "application/json" },
		body: JSON.stringify(body),
	});
	if (!response.ok) throw new Error(`${route}: ${response.status} ${await response.text()}`);
	await response.arrayBuffer();
}

async function load({ url = worker.url, paths, headers = {}, duration = DURATION, amount }) {
	// Through a file: thousands of paths overflow a command line.
	const options = path.join(tmp, `load-${loads++}.json`);
	writeFileSync(options, JSON.stringify({ url, paths, headers, duration, amount, connections: CONCURRENCY }));
	const { stdout } = await run(process.execPath, [path.join(ROOT, "bench/load.mjs"), options], {
		timeout: ((amount ? 120 : duration) + 30) * 1000,
		maxBuffer: 16 * 1024 * 1024,
	});
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
