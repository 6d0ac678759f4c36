/**
 * The fast path: the callback page's `postMessage` to `window.opener` (docs/flows.md#popup-message, the event name's
 * misspelling `AUTHORIZATION_SUCEEDED` is the contract). Only messages from the worker's origin,
 * from our popup, about our connection count: any page or extension can post to us.
 */
import { failed, fields, type Outcome, succeeded } from "./outcome.js";

export interface MessageFilter {
	origin: string;
	popup: Window;
	providerConfigKey: string;
	/** undefined under a connect session: the worker chooses the id */
	connectionId: string | undefined;
}

export function listenForMessages(filter: MessageFilter, onResult: (outcome: Outcome) => void): () => void {
	const listener = (event: MessageEvent) => {
		if (event.origin !== filter.origin) return;
		// `source` is null when the popup closed before the event was dispatched
		if (event.source !== null && event.source !== filter.popup) return;
		const { eventType, data } = fields(event.data);
		const payload = fields(data);
		if (!isOurs(payload.providerConfigKey, filter.providerConfigKey)) return;
		if (filter.connectionId !== undefined && !isOurs(payload.connectionId, filter.connectionId)) return;
		if (eventType === "AUTHORIZATION_SUCEEDED") onResult(succeeded(payload.connectionId));
		else if (eventType === "AUTHORIZATION_FAILED") {
			const error = fields(payload.error);
			onResult(failed(error.type, error.message));
		}
	};
	window.addEventListener("message", listener);
	return () => window.removeEventListener("message", listener);
}

function isOurs(value: unknown, expected: string): boolean {
	return value === undefined || value === expected;
}
