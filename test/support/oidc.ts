/**
 * A real OAuth 2.0 / OpenID Connect authorization server on loopback (the certified
 * `oidc-provider`), for end-to-end tests: a confidential client, PKCE, refresh tokens that
 * rotate, short-lived access tokens, introspection, and a count of the grants it served.
 *
 * `authorizeHeadless()` walks its login and consent pages with plain HTTP (for tests and benches
 * that need a real authorization without a browser); browser tests click the same pages.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:http";
import Provider from "oidc-provider";
import { freePort } from "./ports.js";

export interface OidcServer {
	issuer: string;
	clientId: string;
	clientSecret: string;
	authorizationUrl: string;
	tokenUrl: string;
	userinfoUrl: string;
	introspectionUrl: string;
	/** a second client that may use only the client_credentials grant (RFC 6749 §4.4) */
	serviceClient: { id: string; secret: string };
	/** grants served by the token endpoint, by grant type */
	grants: { authorization_code: number; refresh_token: number; client_credentials: number };
	/** refresh grants the server refused (e.g. a rotated refresh token used twice) */
	refreshErrors: number;
	/** true when `token` is an active access token (RFC 7662 introspection) */
	isActive(token: string): Promise<boolean>;
	/**
	 * Invalidates one access token at the IdP and nothing else. Its revocation endpoint would also
	 * revoke the grant's refresh tokens (RFC 7009 §2.1 allows it; oidc-provider always does), as a
	 * provider may drop a token early for reasons of its own while the refresh token stays good.
	 */
	dropAccessToken(token: string): Promise<void>;
	stop(): Promise<void>;
}

export interface OidcOptions {
	/** the worker's callback URL, registered as the client's redirect URI */
	redirectUri: string;
	/** access-token lifetime in seconds (default 3600) */
	accessTokenTtl?: number;
	/** send `Cross-Origin-Opener-Policy: same-origin` on every page, as many IdPs do */
	crossOriginOpenerPolicy?: boolean;
	/** client authentication at the token endpoint (default client_secret_post) */
	tokenEndpointAuthMethod?: "client_secret_post" | "client_secret_basic";
	/** lifetime in seconds of client-credentials tokens (default 3600) */
	clientCredentialsTtl?: number;
	port?: number;
}

export async function startOidcServer(options: OidcOptions): Promise<OidcServer> {
	const port = options.port ?? (await freePort());
	const issuer = `http://127.0.0.1:${port}`;
	const clientId = "test-client";
	const clientSecret = "test-client-secret-0123456789";
	const provider = new Provider(issuer, {
		clients: [
			{
				client_id: clientId,
				client_secret: clientSecret,
				redirect_uris: [options.redirectUri],
				grant_types: ["authorization_code", "refresh_token"],
				response_types: ["code"],
				token_endpoint_auth_method: options.tokenEndpointAuthMethod ?? "client_secret_post",
			},
			{
				client_id: "service-client",
				client_secret: "service-client-secret-0123456789",
				grant_types: ["client_credentials"],
				redirect_uris: [],
				response_types: [],
				token_endpoint_auth_method: "client_secret_post",
			},
		],
		pkce: { required: () => true },
		scopes: ["openid", "offline_access", "profile", "email"],
		features: {
			devInteractions: { enabled: true },
			// Only the test itself introspects, with this client's credentials.
			introspection: { enabled: true, allowedPolicy: async () => true },
			revocation: { enabled: true },
			clientCredentials: { enabled: true },
		},
		ttl: {
			AccessToken: options.accessTokenTtl ?? 3600,
			RefreshToken: 24 * 3600,
			Grant: 24 * 3600,
			Session: 24 * 3600,
			Interaction: 3600,
			AuthorizationCode: 600,
			IdToken: 3600,
			ClientCredentials: options.clientCredentialsTtl ?? 3600,
		},
		// Every authorization gets a refresh token (not only with offline_access + consent),
		// and every refresh rotates it: the strictest behaviour real providers have.
		issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token"),
		rotateRefreshToken: () => true,
		findAccount: async (_ctx, sub) => ({
			accountId: sub,
			claims: async () => ({ sub, email: `${sub}@example.test`, name: `User ${sub}` }),
		}),
		cookies: { keys: ["oidc-test-cookie-key"] },
	});
	const grants = { authorization_code: 0, refresh_token: 0, client_credentials: 0 };
	let refreshErrors = 0;
	provider.on("grant.success", (ctx) => {
		const type = (ctx.oidc.params as { grant_type?: string } | undefined)?.grant_type;
		if (type === "authorization_code" || type === "refresh_token" || type === "client_credentials")
			grants[type]++;
	});
	provider.on("grant.error", (ctx) => {
		if ((ctx.oidc.params as { grant_type?: string } | undefined)?.grant_type === "refresh_token")
			refreshErrors++;
	});
	const callback = provider.callback();
	const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
		if (options.crossOriginOpenerPolicy) res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
		callback(req, res);
	});
	await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
	return {
		issuer,
		clientId,
		clientSecret,
		serviceClient: { id: "service-client", secret: "service-client-secret-0123456789" },
		authorizationUrl: `${issuer}/auth`,
		tokenUrl: `${issuer}/token`,
		userinfoUrl: `${issuer}/me`,
		introspectionUrl: `${issuer}/token/introspection`,
		grants,
		get refreshErrors() {
			return refreshErrors;
		},
		async isActive(token: string) {
			const response = await fetch(`${issuer}/token/introspection`, {
				method: "POST",
				headers: { "content-type": "application/x-www-form-urlencoded" },
				body: new URLSearchParams({ token, client_id: clientId, client_secret: clientSecret }),
			});
			const body = (await response.json()) as { active?: boolean };
			return body.active === true;
		},
		async dropAccessToken(token: string) {
			const found = await provider.AccessToken.find(token);
			if (!found) throw new Error("dropAccessToken: no such access token");
			await found.destroy();
		},
		stop: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

/**
 * Follows an authorization URL through the IdP's login and consent pages with plain HTTP,
 * as a user would with a browser, and returns the final redirect (the worker's callback URL
 * with `code` and `state`) without following it — or follows it when `follow` is set.
 */
export async function authorizeHeadless(
	startUrl: string,
	options: { login?: string; follow?: boolean } = {},
): Promise<Response> {
	const jar = new Map<string, string>();
	let url = startUrl;
	let init: RequestInit = {};
	for (let hop = 0; hop < 30; hop++) {
		const response = await fetch(url, {
			...init,
			redirect: "manual",
			headers: headersWith(jar, init.headers),
		});
		for (const cookie of response.headers.getSetCookie()) {
			const [pair] = cookie.split(";");
			const eq = pair?.indexOf("=") ?? -1;
			if (pair && eq > 0) jar.set(pair.slice(0, eq), pair.slice(eq + 1));
		}
		init = {};
		const location = response.headers.get("location");
		if (response.status >= 300 && response.status < 400 && location) {
			const next = new URL(location, url);
			const isIdp = next.origin === new URL(startUrl).origin || hop === 0;
			if (!isIdp && !options.follow && next.searchParams.has("state")) return response;
			await response.body?.cancel();
			url = next.href;
			continue;
		}
		const html = await response.text();
		const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
		if (!action) return new Response(html, { status: response.status, headers: response.headers });
		const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
		const form = new URLSearchParams({ prompt: prompt ?? "login" });
		if (prompt === "login") {
			form.set("login", options.login ?? "alice");
			form.set("password", "any");
		}
		url = new URL(action.replaceAll("&amp;", "&"), url).href;
		init = { method: "POST", body: form, headers: { "content-type": "application/x-www-form-urlencoded" } };
	}
	throw new Error("authorizeHeadless: too many redirects");
}

function headersWith(jar: Map<string, string>, extra: HeadersInit | undefined): Headers {
	const headers = new Headers(extra);
	if (jar.size > 0) headers.set("cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
	return headers;
}

/**
 * Registers `idp` at a worker as a custom provider config (`POST /config`) with its endpoints,
 * client and the `openid offline_access` scopes; `fields` adds or overrides template fields.
 */
export async function registerIdp(
	idp: OidcServer,
	worker: { url: string; secretKey: string },
	key: string,
	fields: Record<string, unknown> = {},
): Promise<void> {
	const response = await fetch(`${worker.url}/config`, {
		method: "POST",
		headers: { authorization: `Bearer ${worker.secretKey}`, "content-type": "application/json" },
		body: JSON.stringify({
			provider_config_key: key,
			provider: "oidc-test",
			oauth_client_id: idp.clientId,
			oauth_client_secret: idp.clientSecret,
			oauth_scopes: "openid offline_access",
			authorization_url: idp.authorizationUrl,
			token_url: idp.tokenUrl,
			...fields,
		}),
	});
	if (!response.ok) throw new Error(`POST /config ${key}: ${response.status} ${await response.text()}`);
}
