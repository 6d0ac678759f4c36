/**
 * The backend SDK's shared suite: one list of cases that `sdk-backend.test.ts` runs in Node and
 * `sdk-backend-runner.ts` runs in Deno and Bun, against the same kind of worker and fault server.
 */
import { configCases } from "./sdk-backend-cases-configs.js";
import { connectionCases } from "./sdk-backend-cases-connections.js";
import { transportCases } from "./sdk-backend-cases-transport.js";
import type { SuiteCase } from "./sdk-backend-context.js";

export type { SuiteCase, SuiteContext } from "./sdk-backend-context.js";

export const sdkCases: SuiteCase[] = [...connectionCases, ...configCases, ...transportCases];
