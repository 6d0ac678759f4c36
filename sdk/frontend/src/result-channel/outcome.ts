/** What a result channel reports when a flow ends: stored, or the server's error. */
export type Outcome = { ok: true } | { ok: false; type: string; message: string };
