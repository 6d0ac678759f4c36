/**
 * One authorization: opens the popup (synchronously, inside the caller's gesture), points it at
 * /oauth/connect once the result socket is ready, and settles on the first of: the socket's
 * result, the callback page's postMessage, the user closing the window, the timeout.
 */
import { AuthError } from "./errors.js";
import { openPopup, watchPopup } from "./popup.js";
import { listenForMessages } from "./result-channel/message.js";
import type { Outcome } from "./result-channel/outcome.js";
import { openResultSocket } from "./result-channel/socket.js";

export interface AuthorizationRequest {
	host: URL;
	/** /oauth/connect/… with every query parameter but `ws_client_id` */
	connectUrl: string;
	providerConfigKey: string;
	/** undefined under a connect session: the worker chooses it and reports it */
	connectionId: string | undefined;
	timeoutMs: number;
}

/**
 * After the popup closes, results already on their way still win: the callback page closes itself
 * right after reporting, and a socket message may trail its postMessage.
 */
const CLOSE_GRACE_MS = 1000;

/** Resolves with the connection id the worker reported, when it reported one. */
export function authorize(request: AuthorizationRequest): Promise<{ connectionId?: string }> {
	const { providerConfigKey, connectionId } = request;
	const fail = (type: string, message: string) =>
		new AuthError(type, message, providerConfigKey, connectionId ?? "");

	const popup = openPopup();
	if (!popup) {
		return Promise.reject(
			fail("blocked_by_browser", "The browser blocked the authorization window: call auth() from a click."),
		);
	}
	return new Promise<{ connectionId?: string }>((resolve, reject) => {
		let settled = false;
		let navigated = false;
		const timers: ReturnType<typeof setTimeout>[] = [];

		const settle = (outcome: Outcome | AuthError) => {
			if (settled) return;
			settled = true;
			for (const timer of timers) clearTimeout(timer);
			watch.stop();
			stopMessages();
			closeSocket();
			if (!popup.closed) popup.close();
			if (outcome instanceof AuthError) reject(outcome);
			else if (outcome.ok)
				resolve(outcome.connectionId === undefined ? {} : { connectionId: outcome.connectionId });
			else reject(fail(outcome.type || "unknown_err", outcome.message || "The authorization failed."));
		};

		const cancelled = () =>
			fail("authorization_cancelled", "Authorization cancelled: the user closed the authorization window.");

		const navigate = (wsClientId?: string) => {
			if (settled || navigated) return;
			// closed before it ever left about:blank: certainly the user
			if (popup.closed) return settle(cancelled());
			navigated = true;
			watch.navigating();
			const suffix = wsClientId ? `&ws_client_id=${encodeURIComponent(wsClientId)}` : "";
			// replace(): the popup's history stays one entry long, so its pages may close it
			popup.location.replace(request.connectUrl + suffix);
		};

		const watch = watchPopup(popup, () => {
			timers.push(setTimeout(() => settle(cancelled()), navigated ? CLOSE_GRACE_MS : 0));
		});
		const stopMessages = listenForMessages(
			{ origin: request.host.origin, popup, providerConfigKey, connectionId },
			settle,
		);
		// Declared last: an unreachable socket reports synchronously and navigates at once.
		const closeSocket = openResultSocket(request.host, {
			ready: navigate,
			unavailable: () => navigate(),
			result: settle,
		});
		timers.push(
			setTimeout(() => {
				const detail = watch.severed()
					? " The provider's pages cut the link to the window (Cross-Origin-Opener-Policy), so closing it could not be detected."
					: "";
				settle(fail("timeout", `The authorization did not finish within ${request.timeoutMs} ms.${detail}`));
			}, request.timeoutMs),
		);
	});
}
