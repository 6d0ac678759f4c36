/**
 * Two test projects (test/README.md):
 * - `worker`: tests that run inside workerd (Workers vitest pool) with real D1 and Durable
 *   Objects, migrations applied in test/worker/support/setup.ts;
 * - `node`: black-box tests that start the real worker (wrangler/workerd) on loopback and drive
 *   it with real clients (SDKs, CLI, published Nango/Pizzly clients, Chromium, Deno, Bun).
 *
 * `vitest run` runs the worker project first, then the node project (`sequence.groupOrder`);
 * files run several at a time (`maxWorkers`, tuned on the two-core machine the tests run on),
 * the tests inside a file in order.
 */
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

// A fixed test key (base64 of 32 bytes); the old key is listed so rotation can be tested.
export const TEST_ENCRYPTION_KEY = "dGVzdC1lbmNyeXB0aW9uLWtleS0zMi1ieXRlcy0hISE=";
export const TEST_OLD_ENCRYPTION_KEY = "b2xkLXRlc3QtZW5jcnlwdGlvbi1rZXktMzJieXRlcyE=";

/**
 * The files that take longest, waiting more than working: started first, so they overlap the
 * others instead of running alone at the end. Vitest orders files by their last durations
 * (longest first) once it has them; a fresh clone has none.
 */
const START_FIRST = [
	"test/node/refresh-e2e.test.ts",
	"test/node/sdk-frontend.test.ts",
	"test/node/webhooks-e2e.test.ts",
];

class LongestFirst extends BaseSequencer {
	override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
		const sorted = await super.sort(files);
		const rank = (file: TestSpecification) => {
			const index = START_FIRST.indexOf(path.relative(import.meta.dirname, file.moduleId));
			return index === -1 ? START_FIRST.length : index;
		};
		return sorted
			.map((file, index) => ({ file, index }))
			.sort((a, b) => rank(a.file) - rank(b.file) || a.index - b.index)
			.map(({ file }) => file);
	}
}

export default defineConfig({
	test: {
		sequence: { sequencer: LongestFirst },
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
					// Each file gets a workerd of its own (isolated storage); three start at a time, which
					// measured faster than two on two cores (much of a start is waiting on workerd).
					maxWorkers: 3,
					sequence: { groupOrder: 0 },
				},
			},
			{
				test: {
					name: "node",
					// A migrated D1 to copy and one Chromium, made once per run (no frontend build here:
					// wrangler dev runs it, wrangler.toml's [build]).
					globalSetup: ["./test/node/support/global-setup.ts"],
					include: ["test/node/**/*.test.ts"],
					environment: "node",
					testTimeout: 60_000,
					hookTimeout: 90_000,
					// The files spend most of their time waiting on workers, browsers and token
					// lifetimes: two at a time keeps both cores busy without starving either.
					maxWorkers: 2,
					sequence: { groupOrder: 1 },
				},
			},
		],
	},
});
