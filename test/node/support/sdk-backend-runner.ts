/**
 * Runs the backend SDK's shared suite in another runtime, Deno or Bun:
 * `deno run --allow-net=127.0.0.1 --sloppy-imports test/node/support/sdk-backend-runner.ts <worker url>
 * <secret> <faults url> <closed url>` or `bun test/node/support/sdk-backend-runner.ts …`. Imports the
 * built SDK as published; prints the runtime, then one JSON line per case (`{"name", "ok",
 * "error"?}`). Deno's sloppy imports and Bun resolve the `.js` specifiers shared with Node to the
 * suite's `.ts` files.
 */
import * as sdk from "../../../sdk/backend/dist/index.js";
import { sdkCases } from "./sdk-backend-cases.js";

declare const Deno: { args: string[]; version: { deno: string } } | undefined;
declare const Bun: { argv: string[]; version: string } | undefined;

const runtime =
	typeof Deno !== "undefined"
		? { runtime: "deno", version: Deno.version.deno, args: Deno.args }
		: typeof Bun !== "undefined"
			? { runtime: "bun", version: Bun.version, args: Bun.argv.slice(2) }
			: undefined;
if (!runtime) throw new Error("sdk-backend-runner.ts runs in Deno or Bun");
const [workerUrl, secretKey, faultsUrl, closedUrl] = runtime.args;
if (!workerUrl || !secretKey || !faultsUrl || !closedUrl) {
	throw new Error("usage: sdk-backend-runner.ts <worker url> <secret> <faults url> <closed url>");
}
const context = {
	sdk,
	workerUrl,
	secretKey,
	faultsUrl,
	closedUrl,
	prefix: `${runtime.runtime}-${crypto.randomUUID().slice(0, 8)}`,
};

console.log(JSON.stringify({ runtime: runtime.runtime, version: runtime.version }));
for (const suiteCase of sdkCases) {
	try {
		await suiteCase.run(context);
		console.log(JSON.stringify({ name: suiteCase.name, ok: true }));
	} catch (error) {
		console.log(JSON.stringify({ name: suiteCase.name, ok: false, error: String(error) }));
	}
}
