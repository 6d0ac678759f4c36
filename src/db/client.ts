/**
 * The Drizzle handle over the D1 binding; every repository function takes one. The binding is
 * guarded: whatever a D1 call rejects with becomes a `StorageError` (storage-error.ts), so an
 * outage is told apart from a bug by type, not by D1's message text.
 */
import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";
import { StorageError } from "./storage-error";

export type Db = DrizzleD1Database<typeof schema>;

const handles = new WeakMap<D1Database, Db>();

/** One handle per binding per isolate: building it is cheap, but not free on the hot path. */
export function database(d1: D1Database): Db {
	let db = handles.get(d1);
	if (!db) {
		db = drizzle(guarded(d1), { schema });
		handles.set(d1, db);
	}
	return db;
}

/** Guarded statements and the binding's own, which `batch` must be given back. */
const statements = new WeakMap<D1PreparedStatement, D1PreparedStatement>();

function guarded(d1: D1Database): D1Database {
	return new Proxy(d1, {
		get(target, property) {
			if (property === "prepare") return (query: string) => guardedStatement(target.prepare(query));
			if (property === "batch") {
				return (batch: D1PreparedStatement[]) =>
					asStorageFailure(target.batch(batch.map((statement) => statements.get(statement) ?? statement)));
			}
			return method(target, property);
		},
	});
}

function guardedStatement(statement: D1PreparedStatement): D1PreparedStatement {
	const proxy = new Proxy(statement, {
		get(target, property) {
			if (property === "bind") return (...values: unknown[]) => guardedStatement(target.bind(...values));
			return method(target, property);
		},
	});
	statements.set(proxy, statement);
	return proxy;
}

/** The target's member; a method is called on the target itself and its promise guarded. */
function method(target: object, property: string | symbol): unknown {
	const value: unknown = Reflect.get(target, property, target);
	if (typeof value !== "function") return value;
	return (...args: unknown[]) => {
		const result: unknown = Reflect.apply(value, target, args);
		return result instanceof Promise ? asStorageFailure(result) : result;
	};
}

function asStorageFailure<T>(promise: Promise<T>): Promise<T> {
	return promise.catch((cause: unknown) => {
		throw new StorageError(cause);
	});
}
