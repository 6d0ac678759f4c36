// Every catalog template with a proxy base URL, checked as the proxy uses it: the request built by
// src/proxy/upstream.ts for each base-URL alternative stays on that alternative's host, every
// header and parameter template resolves, the credential is where the template (or its mode's
// default) says and nowhere else; then the request is sent to a mock at the provider's own URL
// (its verification endpoint when it has one), which must receive the credential in that place.
import { describe, expect, it } from "vitest";
import type { Credentials } from "../../src/connections/credentials";
import { getTemplate, listTemplates } from "../../src/providers/catalog";
import type { ProviderTemplate } from "../../src/providers/template";
import { upstreamRequest } from "../../src/proxy/upstream";
import { fillConfig, PLACEHOLDER_TEXT, sampleConfig } from "./support/catalog-samples";
import { HttpResponse, http, useProviderMocks } from "./support/provider-mocks";

const server = useProviderMocks();
const templates = listTemplates();
const proxied = templates.filter(([, template]) => template.proxy?.base_url !== undefined);
const config = { oauthClientId: "client-1", oauthClientSecret: "client-secret-1" };

/** Sample credentials per mode; `secret` is the text that must appear only where the template puts it. */
function sampleCredentials(template: ProviderTemplate): { credentials: Credentials; secret: string } {
	switch (template.auth_mode) {
		case "API_KEY":
			return { credentials: { type: "API_KEY", apiKey: "key-Sx1" }, secret: "key-Sx1" };
		case "BASIC":
			return { credentials: { type: "BASIC", username: "user-1", password: "pw-Sx2" }, secret: "pw-Sx2" };
		case "OAUTH2":
			return { credentials: { type: "OAUTH2", access_token: "at-Sx3", raw: {} }, secret: "at-Sx3" };
		case "OAUTH2_CC":
			return {
				credentials: { type: "OAUTH2_CC", token: "cc-Sx4", client_id: "cid", client_secret: "cs", raw: {} },
				secret: "cc-Sx4",
			};
		case "OAUTH1":
			return {
				credentials: { type: "OAUTH1", oauth_token: "ot-Sx5", oauth_token_secret: "ots", raw: {} },
				secret: "ot-Sx5",
			};
		case "APP":
			return { credentials: { type: "APP", access_token: "ghs-Sx6", raw: {} }, secret: "ghs-Sx6" };
	}
}

/** The template names that hold the secret in each mode. */
const SECRET_NAMES: Record<Credentials["type"], string[]> = {
	API_KEY: ["apiKey", "credentials.apiKey"],
	BASIC: ["password", "credentials.password"],
	OAUTH2: ["accessToken", "credentials.access_token"],
	OAUTH2_CC: ["accessToken", "credentials.token"],
	OAUTH1: ["credentials.oauth_token"],
	APP: ["accessToken", "credentials.access_token"],
};

/** The test's own reading of the template language: names and base64, undefined when a name has no value. */
function expand(text: string, values: Map<string, string>): string | undefined {
	let out = "";
	let i = 0;
	for (let start = text.indexOf("${"); start !== -1; start = text.indexOf("${", i)) {
		out += text.slice(i, start);
		let depth = 1;
		let end = start + 2;
		for (; depth > 0; end++) {
			if (text.startsWith("${", end)) {
				depth += 1;
				end += 1;
			} else if (text[end] === "}") depth -= 1;
		}
		const inner = text.slice(start + 2, end - 1);
		const value = inner.startsWith("base64(")
			? utf8Base64(expand(inner.slice("base64(".length, -1), values))
			: values.get(inner);
		if (value === undefined) return undefined;
		out += value;
		i = end;
	}
	return out + text.slice(i);
}

function utf8Base64(text: string | undefined): string | undefined {
	return text === undefined ? undefined : btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

function valuesOf(credentials: Credentials, connectionConfig: Record<string, string>): Map<string, string> {
	const values = new Map<string, string>();
	for (const [name, value] of Object.entries(credentials)) {
		if (typeof value === "string") values.set(`credentials.${name}`, value);
	}
	if (credentials.type === "API_KEY") values.set("apiKey", credentials.apiKey);
	if (credentials.type === "BASIC") {
		values.set("username", credentials.username);
		values.set("password", credentials.password);
	}
	if (credentials.type === "OAUTH2" || credentials.type === "APP")
		values.set("accessToken", credentials.access_token);
	if (credentials.type === "OAUTH2_CC") values.set("accessToken", credentials.token);
	if (credentials.type === "OAUTH2") {
		values.set("clientId", config.oauthClientId);
		values.set("clientSecret", config.oauthClientSecret);
	}
	for (const [name, value] of Object.entries(connectionConfig)) values.set(`connectionConfig.${name}`, value);
	return values;
}

/**
 * The connection config that makes alternative `index` of the base URL the one used: the values
 * of the names only earlier alternatives use are left out. Undefined when no such config exists.
 */
function configFor(template: ProviderTemplate, alternatives: string[], index: number) {
	const config = sampleConfig(template);
	const names = (text: string) => [...text.matchAll(PLACEHOLDER_TEXT)].map((match) => match[1] ?? "");
	const own = new Set(names(alternatives[index] ?? ""));
	for (const earlier of alternatives.slice(0, index)) {
		const dropped = names(earlier).filter((name) => !own.has(name));
		if (dropped.length === 0) return undefined;
		for (const name of dropped) delete config[name];
	}
	return config;
}

/** True when `text` names the secret as itself (not only inside `${base64(…)}`, where it is encoded). */
function namesSecret(text: string, mode: Credentials["type"]): boolean {
	const plain = text.replaceAll(/\$\{base64\([\s\S]*?\)\}/g, "");
	return SECRET_NAMES[mode].some((name) => plain.includes(`\${${name}}`));
}

/** Where `secret` sits in a request: `header:<name>`, `query:<name>`, `path`. */
function placesOf(request: Pick<Request, "url" | "headers">, secret: string): string[] {
	const places: string[] = [];
	for (const [name, value] of request.headers) if (value.includes(secret)) places.push(`header:${name}`);
	const url = new URL(request.url);
	for (const [name, value] of url.searchParams) if (value.includes(secret)) places.push(`query:${name}`);
	if (decodeURIComponent(url.pathname).includes(secret)) places.push("path");
	return [...new Set(places)].sort();
}

describe("the catalog's API side", () => {
	it("gives most templates a proxy base URL, and leaves out rows the worker cannot sign", () => {
		expect(proxied.length).toBeGreaterThanOrEqual(600);
		// AWS SigV4, Duo's HMAC and Streamline's ed25519 signatures are not in the template language.
		for (const key of ["aws-iam", "cisco-duo-admin", "streamline-ai"])
			expect(getTemplate(key)).toBeUndefined();
		// Teamwork's base URL reads a nested connection config value the worker does not fill.
		expect(getTemplate("teamwork")?.proxy).toBeUndefined();
		expect(getTemplate("telegram")?.proxy?.base_url).toBe("https://api.telegram.org/bot${apiKey}");
	});
});

describe.each(proxied)("%s (proxy)", (key, template) => {
	const alternatives = (template.proxy?.base_url ?? "").split(/\s*\|\|\s*/);
	const { credentials, secret } = sampleCredentials(template);

	it.each(alternatives.map((alternative, index) => [index, alternative] as const))(
		"builds and sends a request under base-URL alternative %i (%s)",
		async (index, alternative) => {
			const connectionConfig = configFor(template, alternatives, index);
			if (!connectionConfig) return; // never chosen: an earlier alternative needs no more values
			const values = valuesOf(credentials, connectionConfig);
			const base = new URL(expand(fillConfig(alternative, connectionConfig), values) ?? "");
			const endpoint = expand(
				fillConfig(template.verification?.endpoints[0] ?? "/probe", connectionConfig),
				values,
			);
			expect(endpoint, "the verification endpoint fills").toBeDefined();
			const [path = "", search = ""] = (endpoint ?? "").split(/\?(.*)/s);
			const built = await upstreamRequest({
				template,
				config,
				credentials,
				connectionConfig,
				method: template.verification?.method ?? "GET",
				path,
				search: search ? `?${search}` : "",
			});
			if (!built.ok) throw new Error(`${key}: ${built.reason}`);
			const { request } = built;
			const url = new URL(request.url);
			expect(url.host).toBe(base.host);
			expect(`${url.pathname}/`.startsWith(base.pathname.replace(/\/?$/, "/"))).toBe(true);
			expect(request.redirect).toBe("manual");

			// Every header and parameter the template names is there, filled; nothing is left unfilled.
			const expected = new Set<string>();
			for (const [name, value] of Object.entries(template.proxy?.headers ?? {})) {
				const filled = expand(value, values);
				if (filled === undefined && name.toLowerCase() === "authorization") continue;
				expect(request.headers.get(name), `header ${name}`).toBe(filled ?? null);
				if (namesSecret(value, template.auth_mode)) expected.add(`header:${name.toLowerCase()}`);
			}
			for (const [name, value] of Object.entries(template.proxy?.query ?? {})) {
				const filled = expand(value, values);
				expect(url.searchParams.get(name), `query ${name}`).toBe(filled ?? null);
				if (namesSecret(value, template.auth_mode)) expected.add(`query:${name}`);
			}
			if (namesSecret(alternative, template.auth_mode)) expected.add("path");
			// A few verification calls carry the key themselves (Algolia's path, JazzHR's query).
			const [verifyPath = "", verifyQuery = ""] = (template.verification?.endpoints[0] ?? "").split(
				/\?(.*)/s,
			);
			if (namesSecret(verifyPath, template.auth_mode)) expected.add("path");
			for (const [name, value] of new URLSearchParams(verifyQuery))
				if (namesSecret(value, template.auth_mode)) expected.add(`query:${name}`);
			expect(decodeURIComponent(request.url)).not.toContain("${");
			for (const [, value] of request.headers) expect(value).not.toContain("${");

			// The mode's default place, unless the template names its own authorization header.
			const ownAuthorization = Object.keys(template.proxy?.headers ?? {}).some(
				(name) => name.toLowerCase() === "authorization",
			);
			const authorization = request.headers.get("authorization");
			if (!ownAuthorization) {
				switch (credentials.type) {
					case "API_KEY":
						expect(authorization).toBeNull();
						break;
					case "BASIC":
						expect(authorization).toBe(`Basic ${btoa("user-1:pw-Sx2")}`);
						break;
					case "OAUTH2":
					case "OAUTH2_CC":
					case "APP":
						expect(authorization).toBe(`Bearer ${secret}`);
						expected.add("header:authorization");
						break;
					case "OAUTH1":
						expect(authorization).toMatch(/^OAuth /);
						expect(authorization).toContain(`oauth_token="${secret}"`);
						expected.add("header:authorization");
						break;
				}
			}
			expect(placesOf(request, secret)).toEqual([...expected].sort());

			// Sent: the provider's own URL receives the credential in the same places.
			const received: Array<{ method: string; url: string; headers: Headers }> = [];
			server.use(
				http.all("*", ({ request: arrived }) => {
					const at = new URL(arrived.url);
					if (at.origin !== url.origin || at.pathname !== url.pathname) return undefined;
					received.push({ method: arrived.method, url: arrived.url, headers: new Headers(arrived.headers) });
					return HttpResponse.json({ ok: true });
				}),
			);
			const response = await fetch(request);
			expect(response.status).toBe(200);
			await response.body?.cancel();
			expect(received).toHaveLength(1);
			const [arrived = { method: "", url: "", headers: new Headers() }] = received;
			expect(arrived.method).toBe(request.method);
			expect(placesOf(arrived, secret)).toEqual([...expected].sort());
			for (const place of expected) {
				const [kind, name = ""] = place.split(":");
				if (kind === "header") expect(arrived.headers.get(name)).toBe(request.headers.get(name));
				if (kind === "query")
					expect(new URL(arrived.url).searchParams.get(name)).toBe(url.searchParams.get(name));
			}
		},
	);
});

describe.each(templates.filter(([, template]) => template.auth_mode === "OAUTH2_CC"))(
	"%s (client credentials)",
	(key, template) => {
		it("has a token URL that fills to https, a client authentication the engine speaks, and no grant of its own", () => {
			const token = new URL(fillConfig(template.token_url ?? "", sampleConfig(template)));
			expect(token.protocol, key).toBe("https:");
			expect(template.authorization_url).toBeUndefined();
			expect([undefined, "basic"]).toContain(template.token_request_auth_method);
			expect([undefined, "json"]).toContain(template.body_format);
			expect(template.token_params?.grant_type).toBeUndefined();
		});
	},
);
