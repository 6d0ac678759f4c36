/**
 * The backend SDK's shared suite: one list of cases that `sdk-backend.test.ts` runs in Node and
 * `runtimes/sdk-suite.ts` runs in Deno and Bun, against the same kind of worker and fault server.
 */
import { configCases } from "./cases-configs.js";
import { connectionCases } from "./cases-connections.js";
import { transportCases } from "./cases-transport.js";
import type { SuiteCase } from "./context.js";

export type { SuiteCase, SuiteContext } from "./context.js";

export const sdkCases: SuiteCase[] = [...connectionCases, ...configCases, ...transportCases];
