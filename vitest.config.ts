/**
 * Two test projects:
 * - `worker`: tests that run inside workerd (Workers vitest pool) with real D1 and Durable
 *   Objects, migrations applied in test/worker/support/setup.ts;
 * - `node`: black-box tests that start the real worker (wrangler/workerd) on loopback and drive
 *   it with real clients (SDKs, CLI, published Nango/Pizzly clients, Chromium, Deno).
 */
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// A fixed test key (base64 of 32 bytes); the old key is listed so rotation can be tested.
export const TEST_ENCRYPTION_KEY = "dGVzdC1lbmNyeXB0aW9uLWtleS0zMi1ieXRlcy0hISE=";
export const TEST_OLD_ENCRYPTION_KEY = "b2xkLXRlc3QtZW5jcnlwdGlvbi1rZXktMzJieXRlcyE=";

export default defineConfig({
	test: {
		projects: [
			{
				plugins: [
					cloudflareTest(async () => ({
						wrangler: { configPath: "./wrangler.toml" },
						miniflare: {
							bindings: {
								TEST_MIGRATIONS: await readD1Migrations(path.join(import.meta.dirname, "migrations")),
								NANGO_SECRET_KEY: "test-secret-key",
								NANGO_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
								NANGO_ENCRYPTION_KEYS_OLD: TEST_OLD_ENCRYPTION_KEY,
								// Empty means unset: a developer's .dev.vars must not change what tests see.
								NANGO_PUBLIC_KEY: "",
								NANGO_HMAC_KEY: "",
								NANGO_CALLBACK_URL: "",
								NANGO_SERVER_URL: "",
								NANGO_CORS_ORIGINS: "",
							},
						},
					})),
				],
				test: {
					name: "worker",
					include: ["test/worker/**/*.test.ts"],
					setupFiles: ["./test/worker/support/setup.ts"],
					// the worker imports the browser SDK's bundle (src/routes/sdk.ts): build it first
					globalSetup: ["./sdk/frontend/build.mjs"],
				},
			},
			{
				test: {
					name: "node",
					globalSetup: ["./sdk/frontend/build.mjs"],
					include: ["test/node/**/*.test.ts"],
					environment: "node",
					testTimeout: 60_000,
					hookTimeout: 90_000,
					// The black-box suites each start workers and browsers: keep them from starving
					// each other on a 2-core machine.
					fileParallelism: false,
				},
			},
		],
	},
});
