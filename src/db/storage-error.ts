/**
 * A failure of D1 itself (unreachable, overloaded, a statement it could not run), as one type:
 * `client.ts` turns every rejected D1 call into a StorageError, so `app.onError` can answer
 * 503 `storage_unavailable` (docs/api.md#errors) whatever D1's message says, and Drizzle's own
 * wrapper (`DrizzleQueryError`, which keeps it as `cause`) does not hide it.
 */
export class StorageError extends Error {
	constructor(cause: unknown) {
		// The cause's message may quote the statement's data: it is kept, never sent or logged.
		super("A D1 call failed.", { cause });
		this.name = "StorageError";
	}
}

/** True when `error`, or an error it was caused by, is a StorageError. */
export function isStorageFailure(error: unknown): boolean {
	let current = error;
	// Bounded: a cause chain is a few links; a cycle must not hang the error handler.
	for (let depth = 0; depth < 8 && current instanceof Error; depth += 1) {
		if (current instanceof StorageError) return true;
		current = current.cause;
	}
	return false;
}
