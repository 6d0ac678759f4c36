/**
 * Runs the backend SDK's shared suite in Deno: `deno run --allow-net=127.0.0.1 --sloppy-imports
 * test/node/deno/sdk-suite.ts <worker url> <secret> <faults url> <closed url>`. Imports the
 * built SDK as published; prints one JSON line per case (`{"name", "ok", "error"?}`).
 * Sloppy imports let the `.js` specifiers shared with Node resolve to the suite's `.ts` files.
 */
import * as sdk from "../../../sdk/backend/dist/index.js";
import { sdkCases } from "../sdk-backend/cases.js";

declare const Deno: { args: string[]; version: { deno: string } };

const [workerUrl, secretKey, faultsUrl, closedUrl] = Deno.args;
if (!workerUrl || !secretKey || !faultsUrl || !closedUrl) {
	throw new Error("usage: sdk-suite.ts <worker url> <secret> <faults url> <closed url>");
}
const context = {
	sdk,
	workerUrl,
	secretKey,
	faultsUrl,
	closedUrl,
	prefix: `deno-${crypto.randomUUID().slice(0, 8)}`,
};

console.log(JSON.stringify({ runtime: "deno", version: Deno.version.deno }));
for (const suiteCase of sdkCases) {
	try {
		await suiteCase.run(context);
		console.log(JSON.stringify({ name: suiteCase.name, ok: true }));
	} catch (error) {
		console.log(JSON.stringify({ name: suiteCase.name, ok: false, error: String(error) }));
	}
}
