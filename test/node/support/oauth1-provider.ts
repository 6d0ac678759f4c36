/**
 * A loopback OAuth 1.0a provider (RFC 5849 §2) for the end-to-end tests: temporary credentials,
 * an authorization page (Allow / Deny, Twitter's `denied=` on refusal), token credentials. Every
 * signature is checked with the `oauth-1.0a` package, an implementation independent of the worker's.
 */
import { createHmac, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import OAuth from "oauth-1.0a";
import { freePort } from "../../support/ports.js";

export interface OAuth1Server {
	url: string;
	consumerKey: string;
	consumerSecret: string;
	/** requests whose signature verified, and those refused */
	verified: number;
	refused: number;
	/** true when `token`/`secret` are token credentials this server issued */
	isIssued(token: string, secret: string): boolean;
	stop(): Promise<void>;
}

interface Temporary {
	secret: string;
	callback: string;
	verifier?: string;
}

export async function startOAuth1Server(): Promise<OAuth1Server> {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const consumer = { key: "oauth1-consumer", secret: "oauth1 consumer/secret+&" };
	const signer = new OAuth({
		consumer,
		signature_method: "HMAC-SHA1",
		hash_function: (base, key) => createHmac("sha1", key).update(base).digest("base64"),
	});
	const temporary = new Map<string, Temporary>();
	const issued = new Map<string, string>();
	const state = { verified: 0, refused: 0 };

	/** The Authorization header's fields when its signature verifies with `tokenSecret`. */
	function check(req: IncomingMessage, tokenSecret: string): Record<string, string> | undefined {
		const fields = Object.fromEntries(
			Array.from(
				(req.headers.authorization ?? "").replace(/^OAuth /, "").matchAll(/([\w%]+)="([^"]*)"/g),
				(m) => [decodeURIComponent(m[1] ?? ""), decodeURIComponent(m[2] ?? "")],
			),
		);
		const { oauth_signature: signature, ...signed } = fields;
		// The package's type names the common fields only; it signs every field it is given.
		const expected = signer.getSignature(
			{ url: `${url}${req.url}`, method: req.method ?? "", data: {} },
			tokenSecret,
			signed as unknown as OAuth.Data,
		);
		const ok = signature === expected && fields.oauth_consumer_key === consumer.key;
		if (ok) state.verified++;
		else state.refused++;
		return ok ? fields : undefined;
	}

	function send(
		res: ServerResponse,
		status: number,
		body: string,
		type = "application/x-www-form-urlencoded",
	) {
		res.writeHead(status, { "content-type": type }).end(body);
	}

	function redirect(res: ServerResponse, callback: string, params: Record<string, string>) {
		const target = new URL(callback);
		for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value);
		res.writeHead(302, { location: target.href }).end();
	}

	const server: Server = createServer((req, res) => {
		const path = new URL(req.url ?? "/", url);
		const token = path.searchParams.get("oauth_token") ?? "";
		if (req.method === "POST" && path.pathname === "/oauth/request_token") {
			const fields = check(req, "");
			if (!fields?.oauth_callback) return send(res, 401, "oauth_problem=signature_invalid");
			const issuedToken = `rt-${randomBytes(8).toString("hex")}`;
			const secret = randomBytes(12).toString("hex");
			temporary.set(issuedToken, { secret, callback: fields.oauth_callback });
			return send(
				res,
				200,
				`oauth_token=${issuedToken}&oauth_token_secret=${secret}&oauth_callback_confirmed=true`,
			);
		}
		if (req.method === "GET" && path.pathname === "/oauth/authorize") {
			if (!temporary.has(token)) return send(res, 400, "unknown request token", "text/plain");
			const q = encodeURIComponent(token);
			return send(
				res,
				200,
				`<!doctype html><title>Authorize</title><a id="allow" href="/oauth/approve?oauth_token=${q}">Allow</a> <a id="deny" href="/oauth/deny?oauth_token=${q}">Deny</a>`,
				"text/html",
			);
		}
		if (req.method === "GET" && (path.pathname === "/oauth/approve" || path.pathname === "/oauth/deny")) {
			const pending = temporary.get(token);
			if (!pending) return send(res, 400, "unknown request token", "text/plain");
			if (path.pathname === "/oauth/deny") {
				temporary.delete(token);
				return redirect(res, pending.callback, { denied: token });
			}
			pending.verifier = randomBytes(6).toString("hex");
			return redirect(res, pending.callback, { oauth_token: token, oauth_verifier: pending.verifier });
		}
		if (req.method === "POST" && path.pathname === "/oauth/access_token") {
			const requestToken = /oauth_token="([^"]*)"/.exec(req.headers.authorization ?? "")?.[1] ?? "";
			const pending = temporary.get(decodeURIComponent(requestToken));
			const fields = pending ? check(req, pending.secret) : undefined;
			if (!pending || !fields || !pending.verifier || fields.oauth_verifier !== pending.verifier) {
				return send(res, 401, "oauth_problem=token_rejected");
			}
			temporary.delete(fields.oauth_token ?? "");
			const accessToken = `at-${randomBytes(8).toString("hex")}`;
			const accessSecret = randomBytes(12).toString("hex");
			issued.set(accessToken, accessSecret);
			return send(
				res,
				200,
				`oauth_token=${accessToken}&oauth_token_secret=${accessSecret}&user_id=4242&screen_name=alice`,
			);
		}
		send(res, 404, "not found", "text/plain");
	});
	await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
	return {
		url,
		consumerKey: consumer.key,
		consumerSecret: consumer.secret,
		get verified() {
			return state.verified;
		},
		get refused() {
			return state.refused;
		},
		isIssued: (token, secret) => issued.get(token) === secret,
		stop: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
