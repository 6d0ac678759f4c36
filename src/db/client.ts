/** The Drizzle handle over the D1 binding; every repository function takes one. */
import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

export type Db = DrizzleD1Database<typeof schema>;

const handles = new WeakMap<D1Database, Db>();

/** One handle per binding per isolate: building it is cheap, but not free on the hot path. */
export function database(d1: D1Database): Db {
	let db = handles.get(d1);
	if (!db) {
		db = drizzle(d1, { schema });
		handles.set(d1, db);
	}
	return db;
}
