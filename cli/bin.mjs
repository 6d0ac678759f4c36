#!/usr/bin/env node
// The `nango` and `pizzly` commands (package.json "bin"): runs the CLI core on this process's
// streams and environment, and exits with its code.
import path from "node:path";
import { run } from "./main.mjs";

const invokedAs = path.basename(process.argv[1] ?? "");
process.exitCode = await run(process.argv.slice(2), {
	stdout: process.stdout,
	stderr: process.stderr,
	env: process.env,
	programName: invokedAs === "pizzly" ? "pizzly" : "nango",
});
