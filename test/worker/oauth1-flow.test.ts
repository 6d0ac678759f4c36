// The OAuth 1.0a flow (RFC 5849 §2) for the Trello template, with Trello's endpoints mocked at
// their real URLs; the mock checks every signature with the `oauth-1.0a` package, an
// implementation independent of ours.
import { createHmac } from "node:crypto";
import OAuth from "oauth-1.0a";
import { describe, expect, it } from "vitest";
import { readConnection, unique } from "./support/api";
import {
	CALLBACK,
	connect,
	createConfig,
	expectPage,
	get,
	postedMessage,
	sessionOf,
} from "./support/oauth-flow";
import { HttpResponse, http, useProviderMocks } from "./support/provider-mocks";

const server = useProviderMocks();

const CONSUMER = { key: "trello-key", secret: "trello-secret&with+symbols" };
const REQUEST_URL = "https://trello.com/1/OAuthGetRequestToken";
const ACCESS_URL = "https://trello.com/1/OAuthGetAccessToken";

const verifier = new OAuth({
	consumer: CONSUMER,
	signature_method: "HMAC-SHA1",
	hash_function: (base, key) => createHmac("sha1", key).update(base).digest("base64"),
});

/** The header's fields if its signature verifies for `tokenSecret`, else undefined. */
function verified(
	request: { url: string; method: string; headers: Headers },
	tokenSecret: string,
): Record<string, string> | undefined {
	const header = request.headers.get("authorization") ?? "";
	const fields = Object.fromEntries(
		Array.from(header.replace(/^OAuth /, "").matchAll(/([\w%]+)="([^"]*)"/g), (m) => [
			decodeURIComponent(m[1] ?? ""),
			decodeURIComponent(m[2] ?? ""),
		]),
	);
	const { oauth_signature: signature, ...signed } = fields;
	const expected = verifier.getSignature(
		{ url: request.url, method: request.method, data: {} },
		tokenSecret,
		// The package's type names the common fields only; it signs every field it is given.
		signed as unknown as OAuth.Data,
	);
	return signature === expected && fields.oauth_consumer_key === CONSUMER.key ? fields : undefined;
}

/** Trello's two token endpoints; counts the calls and keeps the last oauth_callback received. */
function trello() {
	const calls = { request: 0, access: 0, callback: "" };
	server.use(
		http.post(REQUEST_URL, ({ request }) => {
			calls.request++;
			const fields = verified(request, "");
			if (!fields?.oauth_callback)
				return new HttpResponse("oauth_problem=signature_invalid", { status: 401 });
			calls.callback = fields.oauth_callback;
			return new HttpResponse(
				"oauth_token=req-token&oauth_token_secret=req-secret&oauth_callback_confirmed=true",
			);
		}),
		http.post(ACCESS_URL, ({ request }) => {
			calls.access++;
			const fields = verified(request, "req-secret");
			if (fields?.oauth_token !== "req-token" || fields.oauth_verifier !== "the-verifier") {
				return new HttpResponse("oauth_problem=signature_invalid&oauth_problem_advice=bad+signature", {
					status: 401,
				});
			}
			return new HttpResponse("oauth_token=access-token&oauth_token_secret=access-secret&user_id=42");
		}),
	);
	return calls;
}

describe("OAuth 1.0a flow (Trello)", () => {
	it("request token → authorize → access token, and the connection holds the token and secret", async () => {
		const key = unique("trello");
		await createConfig(key, {
			provider: "trello",
			oauth_client_id: CONSUMER.key,
			oauth_client_secret: CONSUMER.secret,
			oauth_scopes: "read,write",
		});
		const calls = trello();
		const location = await connect(`/oauth/connect/${key}?connection_id=board-1`);
		expect(location.origin + location.pathname).toBe("https://trello.com/1/OAuthAuthorizeToken");
		expect(Object.fromEntries(location.searchParams)).toEqual({
			oauth_token: "req-token",
			expiration: "never",
			scope: "read,write",
		});
		expect(calls.request).toBe(1);

		// The provider sends the user back to oauth_callback (our state kept) plus its parameters.
		const back = new URL(calls.callback);
		expect(back.origin + back.pathname).toBe(CALLBACK);
		back.searchParams.set("oauth_token", "req-token");
		back.searchParams.set("oauth_verifier", "the-verifier");
		const page = await get(back.href);
		expectPage(page, 200);
		expect(postedMessage(await page.text()).eventType).toBe("AUTHORIZATION_SUCEEDED");
		expect(calls.access).toBe(1);
		const stored = await readConnection(key, "board-1");
		expect(stored.json.credentials).toEqual({
			type: "OAUTH1",
			oauth_token: "access-token",
			oauth_token_secret: "access-secret",
			raw: { oauth_token: "access-token", oauth_token_secret: "access-secret", user_id: "42" },
		});
	});

	it("keeps the request token secret sealed in the session, and the state in oauth_callback", async () => {
		const key = unique("trello");
		await createConfig(key, {
			provider: "trello",
			oauth_client_id: CONSUMER.key,
			oauth_client_secret: CONSUMER.secret,
		});
		let callback = "";
		server.use(
			http.post(REQUEST_URL, ({ request }) => {
				callback = verified(request, "")?.oauth_callback ?? "";
				return new HttpResponse(
					"oauth_token=req-token&oauth_token_secret=req-secret&oauth_callback_confirmed=true",
				);
			}),
		);
		await connect(`/oauth/connect/${key}?connection_id=c`);
		const url = new URL(callback);
		expect(url.origin + url.pathname).toBe(CALLBACK);
		const session = await sessionOf(url.searchParams.get("state") ?? "");
		expect(session.requestToken).toEqual({ token: "req-token", secret: "req-secret" });
		expect(session.authMode).toBe("OAUTH1");
	});

	it("reports a refused request token as token_err with the provider's oauth_problem", async () => {
		const key = unique("trello");
		await createConfig(key, {
			provider: "trello",
			oauth_client_id: CONSUMER.key,
			oauth_client_secret: "wrong-secret",
		});
		trello();
		const page = await get(`/oauth/connect/${key}?connection_id=c`);
		expectPage(page, 502);
		expect(postedMessage(await page.text()).data.error).toMatchObject({
			type: "token_err",
			error: "signature_invalid",
		});
	});

	it("refuses a callback naming another request token, and a denial (Twitter's `denied`)", async () => {
		const key = unique("trello");
		await createConfig(key, {
			provider: "trello",
			oauth_client_id: CONSUMER.key,
			oauth_client_secret: CONSUMER.secret,
		});
		const calls = trello();
		await connect(`/oauth/connect/${key}?connection_id=c`);
		const mismatch = await get(`/oauth/callback?state=${stateOf(calls)}&oauth_token=other&oauth_verifier=v`);
		expect(postedMessage(await mismatch.text()).data.error?.type).toBe("callback_err");
		await connect(`/oauth/connect/${key}?connection_id=c`);
		const denied = await get(`/oauth/callback?state=${stateOf(calls)}&denied=req-token`);
		expect(postedMessage(await denied.text()).data.error).toMatchObject({
			type: "callback_err",
			error: "access_denied",
		});
		expect(calls.access).toBe(0);
	});
});

function stateOf(calls: { callback: string }): string {
	return new URL(calls.callback).searchParams.get("state") ?? "";
}
