#!/usr/bin/env node
// The proxy's cost (docs/proxy.md): requests per second through `/proxy/*` against calling the
// same loopback API directly, in one run (autocannon in its own process, as bench/run.mjs); then
// the workerd process's memory (RSS from /proc) before, during and after streaming a 100 MB body
// through the proxy. Options: --duration 8 --concurrency 32 --megabytes 100. Loopback only.
import { execFile } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { promisify } from "node:util";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { buildBundle, SECRET, startWorker } from "./worker.mjs";

const arg = (name, fallback) => {
	const i = process.argv.indexOf(`--${name}`);
	return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const DURATION = arg("duration", 8);
const CONCURRENCY = arg("concurrency", 32);
const MEGABYTES = arg("megabytes", 100);
const ROOT = path.resolve(import.meta.dirname, "..");
const tmp = path.join(ROOT, ".tmp", "bench-proxy");
const run = promisify(execFile);
const log = (line) => process.stderr.write(`${line}\n`);
const auth = { authorization: `Bearer ${SECRET}`, "content-type": "application/json" };

rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp, { recursive: true });

// The API: a small JSON answer, or MEGABYTES of bytes written as fast as the reader takes them.
const SMALL = JSON.stringify({ id: 1, login: "alice", items: Array.from({ length: 20 }, (_, i) => ({ i })) });
const CHUNK = Buffer.alloc(64 * 1024, 7);
const api = createServer((req, res) => {
	req.resume();
	if (!req.url?.startsWith("/api/large")) {
		res.writeHead(200, { "content-type": "application/json" });
		return res.end(SMALL);
	}
	res.writeHead(200, { "content-type": "application/octet-stream" });
	let left = MEGABYTES * 1024 * 1024;
	const write = () => {
		while (left > 0) {
			const chunk = CHUNK.subarray(0, Math.min(CHUNK.length, left));
			left -= chunk.length;
			if (!res.write(chunk)) return void res.once("drain", write);
		}
		res.end();
	};
	write();
});
await new Promise((resolve) => api.listen(0, "127.0.0.1", resolve));
const apiUrl = `http://127.0.0.1:${api.address().port}`;

log("building the deploy bundle and starting workerd…");
const worker = await startWorker(buildBundle(path.join(tmp, "build")));
const deadline = setTimeout(
	() => {
		log("bench/proxy.mjs: took too long, aborting");
		process.exit(1);
	},
	(DURATION * 2 + 120) * 1000,
);

try {
	const config = await fetch(`${worker.url}/config`, {
		method: "POST",
		headers: auth,
		body: JSON.stringify({
			provider_config_key: "bench-api",
			provider: "bench-api",
			authorization_url: "http://127.0.0.1/authorize",
			token_url: "http://127.0.0.1/token",
			oauth_client_id: "id",
			oauth_client_secret: "secret",
			oauth_scopes: "read",
			proxy: { base_url: `${apiUrl}/api` },
		}),
	});
	if (!config.ok) throw new Error(`POST /config: ${config.status} ${await config.text()}`);
	const connection = await fetch(`${worker.url}/connection`, {
		method: "POST",
		headers: auth,
		body: JSON.stringify({
			provider_config_key: "bench-api",
			connection_id: "alice",
			access_token: "bench-token",
			expires_at: new Date(Date.now() + 24 * 3600_000).toISOString(),
		}),
	});
	if (connection.status !== 201) throw new Error(`POST /connection: ${connection.status}`);
	const proxyHeaders = {
		authorization: `Bearer ${SECRET}`,
		"Provider-Config-Key": "bench-api",
		"Connection-Id": "alice",
	};

	log(`direct, then through the proxy: ${DURATION}s each at ${CONCURRENCY} connections…`);
	// Warm-up (the isolate's token memory, JIT), not measured.
	await load({ url: apiUrl, paths: ["/api/user"], duration: 2 });
	await load({ url: worker.url, paths: ["/proxy/user"], headers: proxyHeaders, duration: 2 });
	const direct = await load({ url: apiUrl, paths: ["/api/user"], duration: DURATION });
	// The worker's own ceiling on this machine: a constant route, no outbound call.
	const health = await load({ url: worker.url, paths: ["/health"], duration: DURATION });
	const proxied = await load({
		url: worker.url,
		paths: ["/proxy/user"],
		headers: proxyHeaders,
		duration: DURATION,
	});
	// The floor of any proxy on this runtime: a bench-only worker (not ours) in its own workerd
	// that forwards each request to the API and streams the answer back, nothing else.
	const floor = new Miniflare(
		convertV4MiniflareOptions({
			modules: true,
			script: `export default { fetch(request) { const url = new URL(request.url); return fetch(${JSON.stringify(`${apiUrl}/api`)} + url.pathname.replace("/proxy", ""), { redirect: "manual" }); } };`,
			compatibilityDate: "2026-11-01",
			host: "127.0.0.1",
			port: 0,
			cf: false,
		}),
	);
	const floorUrl = (await floor.ready).origin;
	await load({ url: floorUrl, paths: ["/proxy/user"], duration: 2 });
	const passthrough = await load({ url: floorUrl, paths: ["/proxy/user"], duration: DURATION });
	await floor.dispose();

	log(`streaming ${MEGABYTES} MB through the proxy, sampling workerd's RSS…`);
	const pid = workerdPid();
	const before = rssBytes(pid);
	let peak = before;
	const sampler = setInterval(() => {
		peak = Math.max(peak, rssBytes(pid));
	}, 20);
	const started = performance.now();
	const response = await fetch(`${worker.url}/proxy/large`, { headers: proxyHeaders });
	let bytes = 0;
	for await (const chunk of response.body) bytes += chunk.length;
	const seconds = (performance.now() - started) / 1000;
	clearInterval(sampler);
	const after = rssBytes(pid);
	if (bytes !== MEGABYTES * 1024 * 1024) throw new Error(`streamed ${bytes} bytes`);

	const mb = (value) => `${(value / 2 ** 20).toFixed(1)} MB`;
	const row = (name, r) => `| ${name} | ${Math.round(r.rps).toLocaleString("en-US")} | ${r.p50} | ${r.p99} |`;
	console.log(
		[
			`proxy: workerd via Miniflare (no dev proxy), loopback API in the bench process, autocannon -c ${CONCURRENCY} in its own process, ${DURATION}s per run`,
			"",
			"| route | req/s | p50 ms | p99 ms |",
			"|---|---:|---:|---:|",
			row("`GET /api/user` on the API directly", direct),
			row("`GET /health` on the worker (constant JSON, no outbound call)", health),
			row("`GET /proxy/user` (token from memory, Bearer injected)", proxied),
			row("a bare forwarding worker (the runtime's floor for any proxy)", passthrough),
			"",
			`- through the proxy / direct: **${(proxied.rps / direct.rps).toFixed(2)}** (target ≥ 0.7)`,
			`- through the proxy / the worker's constant route: **${(proxied.rps / health.rps).toFixed(2)}**`,
			`- through the proxy / a bare forwarding worker: **${(proxied.rps / passthrough.rps).toFixed(2)}** (what the proxy's own work costs)`,
			`- workerd RSS streaming ${MEGABYTES} MB through the proxy (${(MEGABYTES / seconds).toFixed(0)} MB/s): before ${mb(before)}, peak ${mb(peak)}, after ${mb(after)} (growth at peak ${mb(peak - before)})`,
		].join("\n"),
	);
} finally {
	clearTimeout(deadline);
	await worker.stop();
	await new Promise((resolve) => api.close(resolve));
}

async function load(options) {
	const file = path.join(tmp, `load-${Date.now()}.json`);
	writeFileSync(file, JSON.stringify({ connections: CONCURRENCY, ...options }));
	const { stdout } = await run(process.execPath, [path.join(ROOT, "bench/load.mjs"), file], { cwd: ROOT });
	const result = JSON.parse(stdout);
	if (result.non2xx || result.errors) throw new Error(`${options.url}: ${stdout}`);
	return result;
}

/** The workerd process Miniflare started: a descendant of this process named workerd. */
function workerdPid() {
	const parents = new Map();
	for (const entry of readdirSync("/proc")) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
			const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
			const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
			parents.set(Number(entry), { name, ppid });
		} catch {
			// gone meanwhile
		}
	}
	const descends = (pid) => {
		for (let p = parents.get(pid)?.ppid; p; p = parents.get(p)?.ppid) if (p === process.pid) return true;
		return false;
	};
	const found = [...parents].find(([pid, info]) => info.name === "workerd" && descends(pid));
	if (!found) throw new Error("no workerd process under this one");
	return found[0];
}

function rssBytes(pid) {
	const status = readFileSync(`/proc/${pid}/status`, "utf8");
	return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}
