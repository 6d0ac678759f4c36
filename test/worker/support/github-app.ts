// A stand-in for GitHub's two App endpoints on a loopback origin (mocked with provider-mocks.ts):
// the installation page, which sends the browser straight back to the Setup URL as GitHub does
// after an install, and `POST /app/installations/{id}/access_tokens`, which verifies the app's
// JWT with the app's public key (RS256, issuer, expiry, GitHub's ten-minute limit) and answers as
// GitHub documents: `201 {token, expires_at, permissions, repository_selection}`.
import { jwtVerify } from "jose";
import { HttpResponse, http, type ProviderMocks } from "./provider-mocks";

export const GITHUB = "http://127.0.0.1:4010";

export interface AppKeys {
	/** PKCS#8 PEM ("BEGIN PRIVATE KEY") */
	pkcs8: string;
	/** PKCS#1 PEM ("BEGIN RSA PRIVATE KEY"): what GitHub's "Generate a private key" downloads */
	pkcs1: string;
	publicKey: CryptoKey;
}

export async function appKeys(): Promise<AppKeys> {
	const pair = (await crypto.subtle.generateKey(
		{
			name: "RSASSA-PKCS1-v1_5",
			modulusLength: 2048,
			publicExponent: new Uint8Array([1, 0, 1]),
			hash: "SHA-256",
		},
		true,
		["sign", "verify"],
	)) as CryptoKeyPair;
	const pkcs8 = new Uint8Array((await crypto.subtle.exportKey("pkcs8", pair.privateKey)) as ArrayBuffer);
	const jwk = (await crypto.subtle.exportKey("jwk", pair.privateKey)) as JsonWebKey;
	return {
		pkcs8: pem("PRIVATE KEY", pkcs8),
		pkcs1: pem("RSA PRIVATE KEY", pkcs1Der(jwk)),
		publicKey: pair.publicKey,
	};
}

export interface Mint {
	installationId: string;
	accept: string | null;
	/** the verified JWT's claims, or undefined when the stand-in refused it */
	claims?: { iss: string; iat: number; exp: number };
}

export interface GitHubStandIn {
	/** every token request, in order */
	mints: Mint[];
	/** the `expires_at` the next answers carry (default: an hour from now, as GitHub) */
	expiresAt: () => Date;
	/** held answers wait for this before answering */
	hold?: Promise<void> | undefined;
	/** settles when a token request has arrived */
	reached?: () => void;
}

/** Mounts the stand-in for one app (`appId` and its public key) and one known installation. */
export function githubStandIn(
	server: ProviderMocks,
	app: { appId: string; publicKey: CryptoKey; installationId: string; callback: string },
): GitHubStandIn {
	const standIn: GitHubStandIn = { mints: [], expiresAt: () => new Date(Date.now() + 3600_000) };
	server.use(
		http.get(`${GITHUB}/apps/:slug/installations/new`, ({ request }) => {
			const state = new URL(request.url).searchParams.get("state") ?? "";
			const back = new URL(app.callback);
			back.searchParams.set("installation_id", app.installationId);
			back.searchParams.set("setup_action", "install");
			back.searchParams.set("state", state);
			return new HttpResponse(null, { status: 302, headers: { location: back.toString() } });
		}),
		http.post(`${GITHUB}/app/installations/:id/access_tokens`, async ({ request, params }) => {
			const mint: Mint = { installationId: String(params.id), accept: request.headers.get("accept") };
			standIn.mints.push(mint);
			standIn.reached?.();
			await standIn.hold;
			const jwt = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1] ?? "";
			try {
				const { payload } = await jwtVerify(jwt, app.publicKey, { algorithms: ["RS256"], issuer: app.appId });
				const { iss = "", iat = 0, exp = 0 } = payload;
				// GitHub: "no more than 10 minutes into the future".
				if (exp - Math.floor(Date.now() / 1000) > 600) throw new Error("exp too far ahead");
				mint.claims = { iss, iat, exp };
			} catch {
				return HttpResponse.json(
					{
						message: "A JSON web token could not be decoded",
						documentation_url: "https://docs.github.com/rest",
						status: "401",
					},
					{ status: 401 },
				);
			}
			if (mint.installationId !== app.installationId) {
				return HttpResponse.json({ message: "Not Found", status: "404" }, { status: 404 });
			}
			return HttpResponse.json(
				{
					token: `ghs_token${standIn.mints.length}`,
					// GitHub writes whole seconds: 2016-07-11T22:14:10Z
					expires_at: standIn
						.expiresAt()
						.toISOString()
						.replace(/\.\d{3}Z$/, "Z"),
					permissions: { contents: "read", metadata: "read" },
					repository_selection: "all",
				},
				{ status: 201 },
			);
		}),
	);
	return standIn;
}

function pem(label: string, der: Uint8Array): string {
	const base64 = btoa(String.fromCharCode(...der));
	return `-----BEGIN ${label}-----\n${base64.match(/.{1,64}/g)?.join("\n")}\n-----END ${label}-----\n`;
}

/** RFC 8017 A.1.2 RSAPrivateKey from the key's JWK members, DER-encoded (independent of the worker's wrapper). */
function pkcs1Der(jwk: JsonWebKey): Uint8Array {
	const members = [jwk.n, jwk.e, jwk.d, jwk.p, jwk.q, jwk.dp, jwk.dq, jwk.qi].map((value) => {
		const bytes = Uint8Array.from(atob((value ?? "").replaceAll("-", "+").replaceAll("_", "/")), (char) =>
			char.charCodeAt(0),
		);
		// A DER INTEGER is signed: a leading byte with its high bit set needs a zero before it.
		return (bytes[0] ?? 0) & 0x80 ? [0, ...bytes] : [...bytes];
	});
	const integers = [[0], ...members].flatMap((bytes) => [0x02, ...length(bytes.length), ...bytes]);
	return Uint8Array.from([0x30, ...length(integers.length), ...integers]);
}

function length(n: number): number[] {
	if (n < 0x80) return [n];
	const bytes: number[] = [];
	for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
	return [0x80 | bytes.length, ...bytes];
}
