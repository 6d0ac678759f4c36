/**
 * The authorization window: opened empty and synchronously (browsers only allow popups inside a
 * user gesture, and Safari drops the gesture at the first `await`), pointed at the worker later,
 * and watched for the user closing it.
 *
 * Why `closed` is not always believed: when a page in the popup sends
 * `Cross-Origin-Opener-Policy: same-origin` (many identity providers do), the browser moves the
 * popup into a new browsing-context group and our handle reads `closed === true` from then on,
 * although the window is alive. The switch happens as that page commits; our handle reads
 * `closed` a few milliseconds later (Chromium: the blank page's `pagehide`, then a cross-origin
 * handle that is not yet closed, then `closed`). So:
 * - `closed` before we navigated the popup: the user closed it;
 * - `closed` within `COOP_SWITCH_MS` of the first foreign page: the link was cut. We stop
 *   watching; the worker's WebSocket brings the result, and a real close ends in `timeout`;
 * - `closed` later: the user closed it (unless a *later* page of the provider adds COOP).
 */
const WIDTH = 500;
const HEIGHT = 600;
const POLL_MS = 250;
/** How long after the first foreign page a `closed` handle means COOP, not a person. */
const COOP_SWITCH_MS = 2000;

export function openPopup(): Window | null {
	const { width, height } = window.screen;
	const features = [
		"popup",
		`width=${Math.min(WIDTH, width)}`,
		`height=${Math.min(HEIGHT, height)}`,
		`left=${Math.max(0, (width - WIDTH) / 2)}`,
		`top=${Math.max(0, (height - HEIGHT) / 2)}`,
	].join(",");
	try {
		return window.open("", "_blank", features);
	} catch {
		// some embedded browsers throw instead of returning null
		return null;
	}
}

export interface PopupWatch {
	/** call right before the popup leaves about:blank */
	navigating(): void;
	/** true once the opener link was cut: `closed` means nothing any more */
	severed(): boolean;
	stop(): void;
}

/** Calls `onClosed` once when the user closes the popup (as far as the browser lets us tell). */
export function watchPopup(popup: Window, onClosed: () => void): PopupWatch {
	let navigated = false;
	/** when the first page after about:blank committed */
	let committedAt: number | undefined;
	let severed = false;
	const committed = () => {
		committedAt ??= Date.now();
	};
	try {
		popup.addEventListener("pagehide", committed);
	} catch {
		// the cross-origin check below still notices the commit
	}
	const timer = setInterval(() => {
		if (popup.closed) {
			clearInterval(timer);
			if (navigated && (committedAt === undefined || Date.now() - committedAt < COOP_SWITCH_MS))
				severed = true;
			else onClosed();
		} else if (navigated && isCrossOrigin(popup)) {
			committed();
		}
	}, POLL_MS);
	return {
		navigating: () => {
			navigated = true;
		},
		severed: () => severed,
		stop: () => clearInterval(timer),
	};
}

function isCrossOrigin(popup: Window): boolean {
	try {
		// readable while about:blank (our origin); throws once a foreign page committed
		return popup.location.href === "";
	} catch {
		return true;
	}
}
