/**
 * Ends a flow: the result goes to the page's WebSocket channel (when the flow has one) and the
 * popup's own page posts it to its opener. The channel is told first, so a page that listens on
 * both gets the same result either way; a failing channel never hides the page.
 */
import type { Bindings } from "../env";
import { type FlowOutcome, socketMessage, wsClientIdOf } from "./result-message";
import { resultPage } from "./result-page";

export async function reportOutcome(env: Bindings, outcome: FlowOutcome): Promise<Response> {
	const wsClientId = wsClientIdOf(outcome);
	if (wsClientId) {
		try {
			const channel = env.RESULT_CHANNEL.get(env.RESULT_CHANNEL.idFromName(wsClientId));
			await channel.deliver(socketMessage(outcome));
		} catch (error) {
			console.error(`result channel delivery failed: ${error instanceof Error ? error.name : "error"}`);
		}
	}
	return resultPage(outcome);
}
