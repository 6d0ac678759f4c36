// OAuth 1.0a HMAC-SHA1 signing (RFC 5849 §3.4) against published vectors: the RFC's own examples
// and Twitter's "Creating a signature" page.
import { describe, expect, it } from "vitest";
import {
	hmacSha1,
	oauth1Authorization,
	percentEncode,
	signatureBaseString,
} from "../../src/auth-modes/oauth1/signature";

/** The fields of an `Authorization: OAuth …` header, decoded. */
function fields(header: string): Record<string, string> {
	expect(header.startsWith("OAuth ")).toBe(true);
	return Object.fromEntries(
		Array.from(header.slice(6).matchAll(/([\w%]+)="([^"]*)"/g), (m) => [
			decodeURIComponent(m[1] ?? ""),
			decodeURIComponent(m[2] ?? ""),
		]),
	);
}

describe("OAuth 1.0a signatures", () => {
	it("RFC 5849 §3.4.1.1: the signature base string of the example request", () => {
		const url = "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b";
		const base = signatureBaseString("post", url, [
			...new URL(url).searchParams,
			["c2", ""],
			["a3", "2 q"],
			["oauth_consumer_key", "9djdj82h48djs9d2"],
			["oauth_token", "kkk9d7dh3k39sjv7"],
			["oauth_signature_method", "HMAC-SHA1"],
			["oauth_timestamp", "137131201"],
			["oauth_nonce", "7d8f3e4a"],
		]);
		expect(base).toBe(
			"POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7",
		);
	});

	it("RFC 5849 §1.2: the temporary-credentials request of the printer example", async () => {
		const header = await oauth1Authorization({
			method: "POST",
			url: "https://photos.example.net/initiate",
			consumerKey: "dpf43f3p2l4k3l03",
			consumerSecret: "kd94hf93k423kf44",
			oauthParams: { oauth_callback: "http://printer.example.com/ready" },
			nonce: "wIjqoS",
			timestamp: "137131200",
		});
		// The RFC's example omits oauth_version (optional, §3.1); we send it, so sign without it here.
		const base = signatureBaseString("POST", "https://photos.example.net/initiate", [
			["oauth_consumer_key", "dpf43f3p2l4k3l03"],
			["oauth_signature_method", "HMAC-SHA1"],
			["oauth_timestamp", "137131200"],
			["oauth_nonce", "wIjqoS"],
			["oauth_callback", "http://printer.example.com/ready"],
		]);
		expect(await hmacSha1(base, "kd94hf93k423kf44", "")).toBe("74KNZJeDHnMBp0EMJ9ZHt/XKycU=");
		expect(fields(header)).toMatchObject({
			oauth_consumer_key: "dpf43f3p2l4k3l03",
			oauth_callback: "http://printer.example.com/ready",
			oauth_signature_method: "HMAC-SHA1",
			oauth_version: "1.0",
		});
	});

	it("RFC 5849 §1.2: the protected-resource request, query parameters signed", async () => {
		const base = signatureBaseString(
			"GET",
			"http://photos.example.net/photos?file=vacation.jpg&size=original",
			[
				["file", "vacation.jpg"],
				["size", "original"],
				["oauth_consumer_key", "dpf43f3p2l4k3l03"],
				["oauth_token", "nnch734d00sl2jdk"],
				["oauth_signature_method", "HMAC-SHA1"],
				["oauth_timestamp", "137131202"],
				["oauth_nonce", "chapoH"],
			],
		);
		expect(await hmacSha1(base, "kd94hf93k423kf44", "pfkkdhi9sl3r4s00")).toBe("MdpQcU8iPSUjWoN/UDMsK2sui9I=");
	});

	it("Twitter's documented example, through the header builder", async () => {
		const header = await oauth1Authorization({
			method: "POST",
			url: "https://api.twitter.com/1.1/statuses/update.json?include_entities=true",
			consumerKey: "xvz1evFS4wEEPTGEFPHBog",
			consumerSecret: "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
			token: "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
			tokenSecret: "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
			bodyParams: [["status", "Hello Ladies + Gentlemen, a signed OAuth request!"]],
			nonce: "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg",
			timestamp: "1318622958",
		});
		expect(fields(header)).toEqual({
			oauth_consumer_key: "xvz1evFS4wEEPTGEFPHBog",
			oauth_nonce: "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg",
			oauth_signature_method: "HMAC-SHA1",
			oauth_timestamp: "1318622958",
			oauth_version: "1.0",
			oauth_token: "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
			oauth_signature: "hCtSmYh+iHYCEqBWrE7C7hYmtUk=",
		});
		expect(header).toContain('oauth_signature="hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D"');
	});

	it("percent-encodes per §3.6: unreserved kept, everything else as uppercase UTF-8 escapes", () => {
		expect(percentEncode("Ladies + Gentlemen!*'()~._-")).toBe("Ladies%20%2B%20Gentlemen%21%2A%27%28%29~._-");
		expect(percentEncode("☃")).toBe("%E2%98%83");
	});
});
