// The result page (docs/flows.md#popup-message): whatever a connection id or a provider's error says, it stays data:
// one script (ours, nonce-allowed by the CSP), values JSON-encoded with <, >, &, U+2028/9 escaped.
import { describe, expect, it } from "vitest";
import { resultPage, scriptJson } from "../../src/flow/result-page";
import { unique } from "./support/api";
import { connect, createConfig, get, postedMessage } from "./support/oauth-flow";
import { HttpResponse, http, useProviderMocks } from "./support/provider-mocks";

const server = useProviderMocks();

const INJECTION = "</script><script>alert(1)</script>";

/** The page holds exactly our one script, allowed by nonce, and no markup from the data. */
function expectInert(html: string, headers: Headers) {
	expect(html.match(/<script/gi)).toHaveLength(1);
	expect(html.match(/<\/script/gi)).toHaveLength(1);
	expect(html).not.toContain("<script>alert");
	const nonce = /<script nonce="([^"]+)">/.exec(html)?.[1];
	expect(nonce).toBeTruthy();
	const csp = headers.get("content-security-policy") ?? "";
	expect(csp).toContain(`script-src 'nonce-${nonce}'`);
	expect(csp).toContain("default-src 'none'");
	expect(csp).not.toContain("unsafe-inline");
	expect(headers.get("referrer-policy")).toBe("no-referrer");
	expect(headers.get("x-content-type-options")).toBe("nosniff");
}

describe("result page", () => {
	it("keeps a script-like connection id as data on success", async () => {
		const key = unique("custom");
		await createConfig(key, {
			provider: "custom",
			authorization_url: "https://id.example.com/authorize",
			token_url: "https://id.example.com/token",
		});
		server.use(http.post("https://id.example.com/token", () => HttpResponse.json({ access_token: "at" })));
		const location = await connect(`/oauth/connect/${key}?connection_id=${encodeURIComponent(INJECTION)}`);
		const page = await get(`/oauth/callback?code=c&state=${location.searchParams.get("state")}`);
		expect(page.status).toBe(200);
		const html = await page.text();
		expectInert(html, page.headers);
		expect(postedMessage(html).data.connectionId).toBe(INJECTION);
	});

	it("keeps a provider's error_description as data, in the script and in the visible text", async () => {
		const key = unique("custom");
		await createConfig(key, {
			provider: "custom",
			authorization_url: "https://id.example.com/authorize",
			token_url: "https://id.example.com/token",
		});
		const location = await connect(`/oauth/connect/${key}?connection_id=u`);
		const description = `${INJECTION}\u2028<img src=x onerror=alert(2)>&amp;`;
		const page = await get(
			`/oauth/callback?state=${location.searchParams.get("state")}&error=${encodeURIComponent(INJECTION)}&error_description=${encodeURIComponent(description)}`,
		);
		const html = await page.text();
		expectInert(html, page.headers);
		expect(html).not.toContain("<img");
		// Raw U+2028 is harmless in HTML text but is escaped inside the script.
		expect(/<script[^>]*>([\s\S]*)<\/script>/.exec(html)?.[1]).not.toMatch(/[\u2028\u2029]/);
		expect(html).toContain("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
		expect(postedMessage(html).data.error).toMatchObject({
			error: INJECTION,
			error_description: description,
		});
	});

	it("keeps a script-like connection id as data when the flow fails before the provider", async () => {
		const page = await get(`/oauth/connect/no-such-config?connection_id=${encodeURIComponent(INJECTION)}`);
		const html = await page.text();
		expectInert(html, page.headers);
		expect(postedMessage(html).data.connectionId).toBe(INJECTION);
	});

	it("posts to the opener with targetOrigin '*' and closes itself after ~300 ms", async () => {
		const html = await resultPage({ ok: true, providerConfigKey: "k", connectionId: "c" }).text();
		expect(html).toContain('window.opener.postMessage(message, "*")');
		expect(html).toContain("setTimeout(() => window.close(), 300)");
	});

	it("scriptJson round-trips every character while escaping the dangerous ones", () => {
		const value = { s: "</script>&<!--\u2028\u2029'\"\\" };
		const encoded = scriptJson(value);
		expect(encoded).not.toMatch(/[<>&\u2028\u2029]/);
		expect(JSON.parse(encoded)).toEqual(value);
	});
});
