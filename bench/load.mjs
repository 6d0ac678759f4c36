// The load generator, run as its own process so it never shares a CPU thread with the
// worker's controller: autocannon against one URL or a rotating list of paths, result as JSON.
// Usage: node bench/load.mjs <file holding json: {url, paths?, connections, duration | amount, headers}>
import { readFileSync } from "node:fs";
import autocannon from "autocannon";

const options = JSON.parse(readFileSync(process.argv[2] ?? "", "utf8"));
const paths = options.paths ?? ["/"];
let next = 0;
const result = await autocannon({
	url: options.url,
	connections: options.connections ?? 32,
	// `amount` (a number of requests) wins over `duration`: reads that must each happen once.
	...(options.amount ? { amount: options.amount } : { duration: options.duration ?? 10 }),
	headers: options.headers ?? {},
	requests: [
		{
			setupRequest: (request) => {
				next = (next + 1) % paths.length;
				return { ...request, path: paths[next] };
			},
		},
	],
});
process.stdout.write(
	JSON.stringify({
		rps: result.requests.average,
		p50: result.latency.p50,
		p99: result.latency.p99,
		total: result.requests.total,
		non2xx: result.non2xx,
		errors: result.errors,
		timeouts: result.timeouts,
	}),
);
