/**
 * Debian's headless Chromium through playwright-core (no downloaded browser), with the flags
 * this machine's closed network needs.
 *
 * The node project's global setup starts one Chromium for the whole run (`launchBrowserServer`,
 * provided as `chromiumEndpoint`); `launchBrowser` connects to it, so a test file pays for a
 * connection, not for a browser start. Outside that setup, it launches a Chromium of its own.
 * Either way the file closes what it got: closing a connected browser closes its contexts and
 * leaves the shared Chromium running.
 */
import { type Browser, type BrowserServer, chromium } from "playwright-core";
import { inject } from "vitest";

declare module "vitest" {
	interface ProvidedContext {
		/** the WebSocket endpoint of the Chromium the global setup started */
		chromiumEndpoint: string;
	}
}

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const LAUNCH_OPTIONS = {
	executablePath: CHROMIUM_PATH,
	headless: true,
	args: [
		"--headless",
		"--no-sandbox",
		"--disable-gpu",
		"--disable-background-networking",
		"--disable-component-update",
		"--disable-sync",
		"--no-first-run",
		"--disable-quic",
	],
};

export function launchBrowser(): Promise<Browser> {
	const endpoint = providedEndpoint();
	return endpoint ? chromium.connect(endpoint) : chromium.launch(LAUNCH_OPTIONS);
}

/** A Chromium that test processes connect to with `launchBrowser`. */
export function launchBrowserServer(): Promise<BrowserServer> {
	return chromium.launchServer({ ...LAUNCH_OPTIONS, host: "127.0.0.1" });
}

function providedEndpoint(): string | undefined {
	try {
		return inject("chromiumEndpoint");
	} catch {
		return undefined; // not inside a vitest run
	}
}
