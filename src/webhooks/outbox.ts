/**
 * Puts an auth webhook on the delivery queue (docs/webhooks.md): the request that caused it only
 * waits for the enqueue (so the event is durable before anyone hears "success"), never for the
 * receiver. Nothing is queued when no webhook URL is configured.
 */
import type { Bindings } from "../env";
import { type AuthEventInput, authWebhook } from "./event";

/** One queued delivery: where to, and the exact bytes (signed when delivered). */
export interface WebhookMessage {
	url: string;
	body: string;
}

export async function queueAuthWebhook(
	env: Bindings,
	input: AuthEventInput,
	overrideUrl?: string,
): Promise<void> {
	const url = overrideUrl ?? env.NANGO_WEBHOOK_URL?.trim();
	if (!url || !env.WEBHOOKS) return;
	try {
		await env.WEBHOOKS.send({ url, body: JSON.stringify(authWebhook(input)) } satisfies WebhookMessage, {
			contentType: "json",
		});
	} catch (error) {
		// The authorization or refresh it reports is stored already: losing the event must not fail it.
		console.error(`webhook: enqueue failed (${error instanceof Error ? error.name : "error"})`);
	}
}
