// Shared by the OAuth 2 engine and catalog tests: catalog lookups, a provider token endpoint mocked
// at its own URL (any other outbound fetch fails), and request-body readers.
import { vi } from "vitest";
import { buildTokenRequest } from "../../../src/auth-modes/oauth2/token-request";
import { getTemplate, resolveTemplate } from "../../../src/providers/catalog";
import type { ProviderTemplate } from "../../../src/providers/template";

export const client = { clientId: "client-id", clientSecret: "client-secret" };
/** The clock token responses are read against, so expiries are exact. */
export const NOW = new Date("2026-11-23T10:00:00.000Z");
export const redirectUri = "https://worker.example/oauth/callback";

export function template(key: string): ProviderTemplate {
	const found = getTemplate(key);
	if (!found) throw new Error(`no template ${key}`);
	return found;
}

/** The code exchange for a catalog template, with the shared client. */
export function exchange(key: string, connectionConfig: Record<string, string> = {}): Request {
	return buildTokenRequest({
		template: template(key),
		...client,
		redirectUri,
		code: "the-code",
		connectionConfig,
	});
}

/** Answers fetches to `url` only, and returns the requests that arrived there. */
export function mockProvider(url: string, answer: () => Response): Request[] {
	const seen: Request[] = [];
	vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
		const request = new Request(input, init);
		if (request.url !== url) throw new Error(`unmocked fetch to ${request.url}`);
		seen.push(request);
		return answer();
	});
	return seen;
}

export function json(body: unknown, status = 200): Response {
	return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

/** A token request's body as an object, JSON or form (read as bytes: workerd warns on .text() of a form). */
export async function bodyOf(request: Request): Promise<Record<string, unknown>> {
	const text = new TextDecoder().decode(await request.clone().arrayBuffer());
	const parsed: unknown =
		request.headers.get("Content-Type") === "application/json" ? JSON.parse(text) : null;
	if (typeof parsed === "object" && parsed !== null) return { ...parsed };
	return Object.fromEntries(new URLSearchParams(text));
}

/** A custom config's template at id.example.com with `fields` on top. */
export function custom(fields: Partial<ProviderTemplate>): ProviderTemplate {
	const found = resolveTemplate("custom", {
		authorization_url: "https://id.example.com/authorize",
		token_url: "https://id.example.com/token",
		...fields,
	});
	if (!found) throw new Error("custom template rejected");
	return found;
}
