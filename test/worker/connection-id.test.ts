/**
 * Every connection id the schema accepts can be created, read and deleted through
 * `/connection/:id` (docs/api.md#identifiers); every id it refuses is refused at creation.
 */
import fc from "fast-check";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { connectionIdSchema } from "../../src/input/identifiers";
import { call, createConfig, unique } from "./support/api";
import { weirdString } from "./support/weird-strings";

function importBody(key: string, connectionId: string) {
	return { provider_config_key: key, connection_id: connectionId, access_token: "at" };
}

describe("connection ids (docs/api.md#identifiers)", () => {
	it("refuses an id that is not well-formed UTF-16: it could be stored but never named in a URL", async () => {
		const key = unique("ids");
		await createConfig(key);
		for (const id of ["\uD800", "a\uDC00b", "x\uDBFF"]) {
			const created = await call("POST", "/connection", { body: importBody(key, id) });
			expect(created.status, JSON.stringify(id)).toBe(400);
			expect(created.json.code).toBe("invalid_connection_id");
		}
		// a whole surrogate pair is an ordinary character
		expect((await call("POST", "/connection", { body: importBody(key, "\uD83D\uDE00") })).status).toBe(201);
	});

	it("round-trips every id the schema accepts, and refuses the rest at creation", async () => {
		const key = unique("ids");
		await createConfig(key);
		const ids = fc.oneof(weirdString(12), weirdString(300), fc.string({ unit: "binary", maxLength: 256 }));
		let accepted = 0;
		await fc.assert(
			fc.asyncProperty(ids, async (id) => {
				const created = await call("POST", "/connection", { body: importBody(key, id) });
				if (!v.is(connectionIdSchema, id)) {
					expect(created.status).toBe(400);
					expect(["missing_connection_id", "invalid_connection_id"]).toContain(created.json.code);
					return;
				}
				accepted += 1;
				// The same id may be drawn twice (shrinking replays it): 409 then means it is stored.
				expect([201, 409]).toContain(created.status);
				const path = `/connection/${encodeURIComponent(id)}?provider_config_key=${key}`;
				const read = await call("GET", path);
				expect(read.status).toBe(200);
				expect(read.json.connection_id).toBe(id);
				// the second read is answered from memory, before routing: the same id, the same bytes
				expect((await call("GET", path)).text).toBe(read.text);
				expect((await call("DELETE", path)).status).toBe(200);
				expect((await call("GET", path)).status).toBe(404);
			}),
			{ numRuns: 200 },
		);
		// the property says something only if many ids were accepted
		expect(accepted).toBeGreaterThan(30);
	});
});
