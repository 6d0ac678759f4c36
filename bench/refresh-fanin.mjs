#!/usr/bin/env node
// `npm run bench:refresh`: refresh fan-in (docs/flows.md#one-writer-per-connection) against the production bundle in workerd
// (Miniflare directly, no `wrangler dev` proxy: bench/worker.mjs) and a real authorization server
// (oidc-provider, test/support/oidc.ts) with short-lived access tokens and rotating refresh tokens.
// Each trial waits for the access token to expire, then N callers read the connection at once;
// it prints the refresh grants the IdP served per trial and the callers' latency.
// Options: --callers 200 --trials 10 --ttl 3 (access-token lifetime, seconds). Loopback only;
// the whole run is bounded (it aborts after trials × (ttl + 20 s) + 60 s).
import { mkdirSync, rmSync } from "node:fs";
import { register } from "node:module";
import path from "node:path";
import { buildBundle, SECRET, startWorker } from "./worker.mjs";

// The fixtures are TypeScript: Node strips the types, this hook finds `.ts` behind `.js` imports.
register("./ts-resolve.mjs", import.meta.url);
const { startOidcServer } = await import("../test/support/oidc.ts");
const { authorizeAtIdp, IMPORT_REDIRECT_URI, importIntoWorker } = await import(
	"../test/support/imported-connection.ts"
);

const arg = (name, fallback) => {
	const i = process.argv.indexOf(`--${name}`);
	const value = i > 0 ? Number(process.argv[i + 1]) : fallback;
	if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} takes a positive integer`);
	return value;
};
const CALLERS = arg("callers", 200);
const TRIALS = arg("trials", 10);
const TTL = arg("ttl", 3);
const log = (line) => process.stderr.write(`${line}\n`);

const ROOT = path.resolve(import.meta.dirname, "..");
const tmp = path.join(ROOT, ".tmp", "bench-refresh");
rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp, { recursive: true });

let worker;
let idp;
const stopAll = async () => {
	await Promise.allSettled([worker?.stop(), idp?.stop()]);
};
const deadline = setTimeout(
	async () => {
		log("bench:refresh: time budget exceeded, stopping");
		await stopAll();
		process.exit(2);
	},
	(TRIALS * (TTL + 20) + 60) * 1000,
);

const percentile = (sorted, p) =>
	sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const ms = (value) => `${value.toFixed(1)} ms`;
const sleep = (millis) => new Promise((resolve) => setTimeout(resolve, Math.max(0, millis)));

try {
	log("building the worker bundle (wrangler deploy --dry-run) …");
	const bundle = buildBundle(path.join(tmp, "dist"));
	[worker, idp] = await Promise.all([
		startWorker(bundle),
		startOidcServer({ redirectUri: IMPORT_REDIRECT_URI, accessTokenTtl: TTL }),
	]);
	log(`worker ${worker.url} (workerd via Miniflare), IdP ${idp.issuer}`);

	const key = "bench-idp";
	const connectionId = "bench-user";
	const tokens = await authorizeAtIdp(idp);
	// No margin: the token is refreshed once it has expired, which is when every trial reads.
	await importIntoWorker(idp, tokens, {
		workerUrl: worker.url,
		secretKey: SECRET,
		providerConfigKey: key,
		connectionId,
		expirationBuffer: 0,
	});
	const url = `${worker.url}/connection/${connectionId}?provider_config_key=${key}`;
	const headers = { authorization: `Bearer ${SECRET}` };
	const readOnce = async () => {
		const start = performance.now();
		const response = await fetch(url, { headers });
		const body = await response.json();
		return {
			status: response.status,
			token: body.credentials?.access_token,
			expiresAt: body.credentials?.expires_at,
			latency: performance.now() - start,
		};
	};

	let expiresAt = Date.now() + tokens.expires_in * 1000;
	const rows = [];
	const all = [];
	for (let trial = 1; trial <= TRIALS; trial++) {
		await sleep(expiresAt + 20 - Date.now());
		const before = idp.grants.refresh_token;
		const started = performance.now();
		const reads = await Promise.all(Array.from({ length: CALLERS }, readOnce));
		const wall = performance.now() - started;
		const latencies = reads.map((read) => read.latency).sort((a, b) => a - b);
		all.push(...latencies);
		const ok = reads.filter((read) => read.status === 200);
		expiresAt = Math.max(
			...ok.map((read) => Date.parse(read.expiresAt ?? "")).filter(Number.isFinite),
			Date.now(),
		);
		rows.push({
			trial,
			refreshes: idp.grants.refresh_token - before,
			tokens: new Set(ok.map((read) => read.token)).size,
			errors: CALLERS - ok.length,
			p50: ms(percentile(latencies, 50)),
			p99: ms(percentile(latencies, 99)),
			max: ms(latencies.at(-1)),
			wall: ms(wall),
		});
		log(`trial ${trial}: ${rows.at(-1).refreshes} refresh(es)`);
	}
	all.sort((a, b) => a - b);
	// Baseline: the same burst while the token is fresh (served from D1, no Durable Object).
	const baselineBefore = idp.grants.refresh_token;
	const baseline = (await Promise.all(Array.from({ length: CALLERS }, readOnce)))
		.map((read) => read.latency)
		.sort((a, b) => a - b);
	const baselineRefreshes = idp.grants.refresh_token - baselineBefore;
	const finalToken = (await readOnce()).token;
	console.log(
		`\nrefresh fan-in: ${CALLERS} concurrent callers × ${TRIALS} trials, ${TTL}-second access tokens`,
	);
	console.log(
		"worker: production bundle in workerd via Miniflare (no wrangler dev proxy); IdP: oidc-provider, same process as the callers\n",
	);
	console.table(rows);
	console.log(`provider refreshes per trial: ${rows.map((row) => row.refreshes).join(" ")}`);
	console.log(`refresh grants refused by the IdP: ${idp.refreshErrors}`);
	console.log(
		`all callers: p50 ${ms(percentile(all, 50))}, p99 ${ms(percentile(all, 99))}, max ${ms(all.at(-1))}`,
	);
	console.log(
		`baseline, ${CALLERS} callers on a fresh token: p50 ${ms(percentile(baseline, 50))}, p99 ${ms(percentile(baseline, 99))} (${baselineRefreshes} refreshes)`,
	);
	console.log(
		`connection still active at the IdP afterwards: ${finalToken ? await idp.isActive(finalToken) : false}`,
	);
} finally {
	clearTimeout(deadline);
	await stopAll();
}
