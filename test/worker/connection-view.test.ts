// The wire views of a connection (docs/api.md#connections): without `refresh_token=true` the
// modern read shows no refresh token anywhere, the raw token response and its nested objects
// included; the early read shows it, as the early server did.
import { describe, expect, it } from "vitest";
import { call, createConfig, importConnection, unique } from "./support/api";

// Slack's OAuth v2 answer: a bot token at the top, the user's token (and its refresh token) nested.
const SLACK_RAW = {
	ok: true,
	access_token: "xoxb-bot",
	refresh_token: "xoxe-bot-refresh-SECRET",
	expires_in: 43200,
	authed_user: { id: "U1", access_token: "xoxp-user", refresh_token: "xoxe-user-refresh-SECRET" },
	team: { id: "T1", name: "Team" },
	incoming_webhooks: [{ refresh_token: "in-a-list-SECRET", channel: "#general" }],
};

async function slackLike() {
	const key = unique("view");
	await createConfig(key);
	await importConnection(key, "u1", { refresh_token: "xoxe-bot-refresh-SECRET", raw: SLACK_RAW });
	return key;
}

describe("GET /connections/:id", () => {
	it("shows no refresh token anywhere unless refresh_token=true", async () => {
		const key = await slackLike();
		const hidden = await call("GET", `/connections/u1?provider_config_key=${key}`);
		expect(hidden.status).toBe(200);
		expect(hidden.text).not.toContain("SECRET");
		expect(hidden.json.credentials).not.toHaveProperty("refresh_token");
		// Everything else of the raw response stays as received.
		expect(hidden.json.credentials.raw).toEqual({
			ok: true,
			access_token: "xoxb-bot",
			expires_in: 43200,
			authed_user: { id: "U1", access_token: "xoxp-user" },
			team: { id: "T1", name: "Team" },
			incoming_webhooks: [{ channel: "#general" }],
		});

		const shown = await call("GET", `/connections/u1?provider_config_key=${key}&refresh_token=true`);
		expect(shown.json.credentials.refresh_token).toBe("xoxe-bot-refresh-SECRET");
		expect(shown.json.credentials.raw).toEqual(SLACK_RAW);
	});
});

describe("GET /connection/:id (early)", () => {
	it("keeps the refresh token, in the credentials and in raw", async () => {
		const key = await slackLike();
		const early = await call("GET", `/connection/u1?provider_config_key=${key}`);
		expect(early.status).toBe(200);
		expect(early.json.credentials.refresh_token).toBe("xoxe-bot-refresh-SECRET");
		expect(early.json.credentials.raw).toEqual(SLACK_RAW);
	});
});
