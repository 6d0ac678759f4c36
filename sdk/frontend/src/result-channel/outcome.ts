/**
 * What a result channel reports when a flow ends: stored, or the server's error. Both channels
 * read the server's message as `unknown` and narrow it here.
 */
export type Outcome = { ok: true; connectionId?: string } | { ok: false; type: string; message: string };

/** Stored; with the connection id the server reports (it chooses it under a connect session). */
export function succeeded(connectionId: unknown): Outcome {
	return typeof connectionId === "string" ? { ok: true, connectionId } : { ok: true };
}

/** The server's error; a field that is not a string reads as "" (the SDK then says why itself). */
export function failed(type: unknown, message: unknown): Outcome {
	return { ok: false, type: text(type), message: text(message) };
}

/** An object's fields, or none for anything else. */
export function fields(value: unknown): Record<string, unknown> {
	return typeof value === "object" && value !== null ? { ...value } : {};
}

function text(value: unknown): string {
	return typeof value === "string" ? value : "";
}
