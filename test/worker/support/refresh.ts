// Refresh tests' fixtures: a custom config whose token endpoint is mocked at its own URL
// (provider-mocks.ts), connections imported through the real routes, reads through the app, and
// direct looks at D1 and at the connection's Durable Object.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { Pending } from "../../../src/connections/pending";
import { refresherOf } from "../../../src/connections/refresher-client";
import { tokenCache } from "../../../src/connections/token-cache";
import { keyringFrom } from "../../../src/crypto/cipher";
import { database } from "../../../src/db/client";
import { type Connection, getConnection } from "../../../src/db/connections";
import { createConfig, importConnection, unique } from "./api";
import { HttpResponse, http, type ProviderMocks } from "./provider-mocks";

/** Reads a connection through the app, which refreshes it when due. */
export { readConnection as read } from "./api";

export interface TokenCall {
	form: URLSearchParams;
}

type Responder = (call: TokenCall, index: number) => Response | Promise<Response>;

export interface Provider {
	key: string;
	tokenUrl: string;
	/** every refresh request the token endpoint received, in order */
	calls: TokenCall[];
	/** what the token endpoint answers from now on */
	respond(responder: Responder): void;
}

/** A custom config (unique key) whose token endpoint, at its own URL, is the mock. */
export async function provider(
	server: ProviderMocks,
	fields: Record<string, unknown> = {},
): Promise<Provider> {
	const key = unique("refresh");
	const tokenUrl = `https://provider.test/${key}/token`;
	await createConfig(key, {
		provider: "custom",
		authorization_url: "https://provider.test/authorize",
		token_url: tokenUrl,
		...fields,
	});
	const calls: TokenCall[] = [];
	let responder: Responder = () => HttpResponse.json({ error: "no responder" }, { status: 500 });
	server.use(
		http.post(tokenUrl, async ({ request }) => {
			const call = { form: new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer())) };
			calls.push(call);
			return responder(call, calls.length - 1);
		}),
	);
	return {
		key,
		tokenUrl,
		calls,
		respond(next) {
			responder = next;
		},
	};
}

export const tokens = (
	accessToken: string,
	refreshToken: string | undefined,
	expiresIn: number | string = 3600,
) =>
	HttpResponse.json({
		access_token: accessToken,
		...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
		expires_in: expiresIn,
		token_type: "Bearer",
	});

/** Imports a connection whose access token expires `expiresInMs` from now (negative: expired). */
export async function connection(key: string, expiresInMs: number, extra: Record<string, unknown> = {}) {
	const connectionId = unique("user");
	await importConnection(key, connectionId, {
		access_token: "at-1",
		refresh_token: "rt-1",
		expires_at: new Date(Date.now() + expiresInMs).toISOString(),
		...extra,
	});
	return connectionId;
}

/** The connection as D1 holds it now (credentials opened). */
export async function stored(key: string, connectionId: string): Promise<Connection | undefined> {
	return getConnection(database(env.DB), await keyringFrom(env), key, connectionId);
}

/** The credentials the connection's Durable Object still holds for D1, if any. */
export function pendingOf(key: string, connectionId: string): Promise<Pending | undefined> {
	return runInDurableObject(refresherOf(env, key, connectionId), (_, state) =>
		state.storage.get<Pending>("pending"),
	);
}

/** A promise the test resolves: lets a mocked provider hold its answer until told. */
function gate() {
	let open: () => void = () => {};
	const opened = new Promise<void>((resolve) => {
		open = resolve;
	});
	return { open, opened };
}

/**
 * Makes the token endpoint hold every answer (`answer(index)`, by default "at-2"/"rt-2") until
 * `release()`; `reached` settles once a refresh request has arrived.
 */
export function holdAnswers(
	idp: Provider,
	answer: (index: number) => Response = () => tokens("at-2", "rt-2"),
): { reached: Promise<void>; release: () => void } {
	const held = gate();
	const reached = gate();
	idp.respond(async (_, index) => {
		reached.open();
		await held.opened;
		return answer(index);
	});
	return { reached: reached.opened, release: held.open };
}

/** Waits until `condition` holds (checked every 10 ms). */
export async function until(condition: () => boolean): Promise<void> {
	while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** The Durable Object namespace, counting the stubs the worker asks it for. */
export function countingRefresher() {
	const namespace = env.CONNECTION_REFRESHER;
	const counted = { stubs: 0 };
	const proxy = new Proxy(namespace, {
		get(target, property) {
			const value: unknown = Reflect.get(target, property, target);
			if (property === "get") counted.stubs += 1;
			return typeof value === "function" ? value.bind(target) : value;
		},
	});
	return { env: { CONNECTION_REFRESHER: proxy }, counted };
}

/** Makes every credentials update of one row fail in D1 until the returned function runs. */
export async function failCredentialWrites(rowId: number): Promise<() => Promise<void>> {
	const trigger = `fail_credentials_${rowId}`;
	await env.DB.prepare(
		`CREATE TRIGGER ${trigger} BEFORE UPDATE OF credentials ON connections WHEN OLD.id = ${rowId}
		 BEGIN SELECT RAISE(ABORT, 'simulated D1 write failure'); END`,
	).run();
	return async () => {
		await env.DB.prepare(`DROP TRIGGER ${trigger}`).run();
	};
}

/**
 * Forgets what the read path remembers of a connection (the isolate's memory, its object's served
 * copy), as the passing of time would: for tests that change D1 behind the worker's back.
 */
export async function forgetReads(key: string, connectionId: string): Promise<void> {
	tokenCache.forget(key, connectionId);
	await refresherOf(env, key, connectionId).forget();
}
