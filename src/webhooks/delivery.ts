/**
 * The queue consumer that delivers auth webhooks (docs/webhooks.md#delivery): each message is
 * POSTed with its signatures; a 2xx acknowledges it, anything else (an error status, a redirect,
 * a timeout, a refused connection) retries it later with a growing delay, until the queue's
 * `max_retries` sends it to the dead-letter queue. At least once: a receiver may see an event
 * twice and should be idempotent.
 */
import * as v from "valibot";
import type { Bindings } from "../env";
import { USER_AGENT } from "../providers/fetch";
import type { WebhookMessage } from "./outbox";
import { signatureHeaders, signingKey } from "./signature";

/** How long a receiver has to answer. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** First retry delay; doubled per attempt, at most MAX_RETRY_DELAY_S. */
const FIRST_RETRY_DELAY_S = 5;
const MAX_RETRY_DELAY_S = 15 * 60;

const messageSchema = v.object({ url: v.pipe(v.string(), v.url()), body: v.string() });

export async function deliverWebhooks(batch: MessageBatch<unknown>, env: Bindings): Promise<void> {
	const key = signingKey(env);
	await Promise.all(
		batch.messages.map(async (message) => {
			const parsed = v.safeParse(messageSchema, message.body);
			// Not ours (or from an older shape): retrying cannot make it deliverable.
			if (!parsed.success) return message.ack();
			if (await deliver(parsed.output, key)) return message.ack();
			message.retry({ delaySeconds: retryDelay(message.attempts) });
		}),
	);
}

/** The delay before attempt `attempts + 1`: 5 s, 10 s, 20 s… capped at 15 minutes. */
export function retryDelay(attempts: number): number {
	return Math.min(FIRST_RETRY_DELAY_S * 2 ** Math.max(0, attempts - 1), MAX_RETRY_DELAY_S);
}

async function deliver(message: WebhookMessage, key: string | undefined): Promise<boolean> {
	const headers: Record<string, string> = {
		"Content-Type": "application/json",
		"User-Agent": USER_AGENT,
		...(key ? await signatureHeaders(key, message.body) : {}),
	};
	try {
		const response = await fetch(message.url, {
			method: "POST",
			headers,
			body: message.body,
			// A receiver that redirects is misconfigured: the signed event is not sent elsewhere.
			redirect: "manual",
			signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
		});
		// Nothing of the answer is read: its status says everything.
		await response.body?.cancel();
		if (response.ok) return true;
		console.warn(`webhook: receiver answered ${response.status}; retrying later`);
		return false;
	} catch (error) {
		console.warn(
			`webhook: delivery failed (${error instanceof Error ? error.name : "error"}); retrying later`,
		);
		return false;
	}
}
