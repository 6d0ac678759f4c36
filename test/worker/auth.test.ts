import { describe, expect, it } from "vitest";
import { call, SECRET } from "./support/api";

const basic = (user: string, password = "") => `Basic ${btoa(`${user}:${password}`)}`;

describe("caller authentication (docs/api.md#authentication)", () => {
	it("accepts Bearer and Basic with the secret as username (password ignored)", async () => {
		for (const authorization of [
			`Bearer ${SECRET}`,
			basic(SECRET),
			basic(SECRET, "ignored"),
			`bearer ${SECRET}`,
		]) {
			const response = await call("GET", "/config", { headers: { authorization } });
			expect(response.status, authorization).toBe(200);
			expect(response.json.configs).toBeInstanceOf(Array);
		}
	});

	it("answers 401 with a code for a missing, malformed or wrong key", async () => {
		const cases: Array<[Record<string, string>, string]> = [
			[{}, "missing_auth_header"],
			[{ authorization: "Basic !!!not-base64" }, "malformed_auth_header"],
			[{ authorization: "Token abc" }, "malformed_auth_header"],
			[{ authorization: "Bearer" }, "malformed_auth_header"],
			[{ authorization: `Bearer ${SECRET}x` }, "invalid_secret_key"],
			[{ authorization: basic("wrong") }, "invalid_secret_key"],
			[{ authorization: basic("", SECRET) }, "invalid_secret_key"],
		];
		for (const [headers, code] of cases) {
			const response = await call("GET", "/connection", { anonymous: true, headers });
			expect(response.status).toBe(401);
			expect(response.json).toEqual({ error: expect.any(String), code });
		}
	});

	it("guards every backend route family", async () => {
		for (const [method, path] of [
			["GET", "/config"],
			["GET", "/config/github"],
			["POST", "/config"],
			["PUT", "/config"],
			["DELETE", "/config/github"],
			["GET", "/connection"],
			["GET", "/connection/x?provider_config_key=github"],
			["POST", "/connection"],
			["GET", "/connections"],
			["GET", "/integrations"],
			["POST", "/admin/rotate-keys"],
		] as const) {
			const response = await call(method, path, { anonymous: true });
			expect(response.status, `${method} ${path}`).toBe(401);
			expect(response.json.code).toBe("missing_auth_header");
		}
	});

	it("without a configured secret serves loopback hosts only", async () => {
		const noSecret = { NANGO_SECRET_KEY: undefined };
		for (const origin of ["http://localhost:3003", "http://127.0.0.1:3003", "http://[::1]:3003"]) {
			const response = await call("GET", "/config", { anonymous: true, origin, env: noSecret });
			expect(response.status, origin).toBe(200);
		}
		for (const origin of ["https://nango.example.com", "http://10.0.0.5", "http://localhost.evil.com"]) {
			const response = await call("GET", "/config", { anonymous: true, origin, env: noSecret });
			expect(response.status, origin).toBe(401);
			expect(response.json.code).toBe("secret_key_not_configured");
			expect(response.json.error).toContain("wrangler secret put NANGO_SECRET_KEY");
		}
	});

	it("public routes need no key and backend routes send no CORS headers unless configured", async () => {
		expect((await call("GET", "/health", { anonymous: true })).json).toEqual({ result: "ok" });
		expect((await call("GET", "/", { anonymous: true })).json).toEqual({ result: "ok" });
		expect((await call("GET", "/providers", { anonymous: true })).status).toBe(200);

		const origin = "https://app.example.com";
		const plain = await call("GET", "/config", { headers: { origin } });
		expect(plain.headers.get("access-control-allow-origin")).toBeNull();
		const allowed = await call("GET", "/config", {
			headers: { origin },
			env: { NANGO_CORS_ORIGINS: `https://other.example.com, ${origin}` },
		});
		expect(allowed.headers.get("access-control-allow-origin")).toBe(origin);
		const other = await call("GET", "/config", {
			headers: { origin: "https://evil.example.com" },
			env: { NANGO_CORS_ORIGINS: origin },
		});
		expect(other.headers.get("access-control-allow-origin")).toBeNull();
	});
});

describe("health", () => {
	it("GET /health/storage reads D1 and says so; a broken binding is a 503, not a crash", async () => {
		expect((await call("GET", "/health/storage", { anonymous: true })).json).toEqual({ result: "ok" });
		const broken = {
			prepare: () => {
				throw new Error("D1 is down");
			},
		} as unknown as D1Database;
		const down = await call("GET", "/health/storage", { anonymous: true, env: { DB: broken } });
		expect(down.status).toBe(503);
		expect(down.json).toEqual({ error: expect.any(String), code: "storage_unavailable" });
	});
});
