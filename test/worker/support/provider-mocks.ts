// Providers mocked at their real URLs with msw: its `msw/node` server also intercepts the fetches
// made inside Durable Objects, and any request no handler answers fails the test.
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";

export { HttpResponse, http };

export type ProviderMocks = ReturnType<typeof setupServer>;

/** One msw server per test file; call at the top level of the file. */
export function useProviderMocks(): ProviderMocks {
	const server = setupServer();
	beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
	afterEach(() => server.resetHandlers());
	afterAll(() => server.close());
	return server;
}
