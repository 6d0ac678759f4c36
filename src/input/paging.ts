/**
 * Paging of list routes (docs/api.md#paging), as today's Nango pages `GET /connections`:
 * `limit` rows a page and a 0-based `page`, so a list never reads or builds more than one page.
 *
 * @example
 * const { limit, page } = parseInput(v.object({ ...pagingEntries }), c.req.query(), "invalid_query");
 */
import * as v from "valibot";

/** Rows a page when `limit` is absent: generous, so an early client that lists once sees a lot. */
export const DEFAULT_PAGE_LIMIT = 1000;
/** The most rows one page may ask for, as today's Nango allows. */
export const MAX_PAGE_LIMIT = 2000;

/**
 * A non-negative integer written in digits only ("1.5", "1e3", "-1" and "" are refused), below
 * 10^9 so that page × limit stays an exact integer.
 */
const count = v.pipe(
	v.string(),
	v.regex(/^\d{1,9}$/, "must be an integer from 0 to 999999999"),
	v.transform(Number),
);

/** The query entries to spread into a list route's query schema. */
export const pagingEntries = {
	limit: v.optional(
		v.pipe(count, v.minValue(1), v.maxValue(MAX_PAGE_LIMIT, `must be at most ${MAX_PAGE_LIMIT}`)),
		String(DEFAULT_PAGE_LIMIT),
	),
	page: v.optional(count, "0"),
};

export interface Paging {
	limit: number;
	page: number;
}
