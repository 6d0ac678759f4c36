/**
 * The few assertions the shared SDK suite needs, written without a test framework so the same
 * cases run under vitest (Node) and under a plain Deno script.
 */

export function check(condition: unknown, message: string): asserts condition {
	if (!condition) throw new Error(message);
}

export function equal(actual: unknown, expected: unknown, what: string): void {
	if (!deepEqual(actual, expected)) {
		throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
	}
}

export interface ExpectedError {
	/** the class the error must be an instance of */
	type: abstract new (
		...args: never[]
	) => Error;
	status: number;
	code: string;
	/** a part of the message */
	message?: string;
}

/** Awaits `promise`, which must reject with the expected SDK error; returns the error. */
export async function rejects(promise: Promise<unknown>, expected: ExpectedError, what: string) {
	let error: unknown;
	try {
		await promise;
	} catch (caught) {
		error = caught;
	}
	check(error !== undefined, `${what}: expected a rejection, got a result`);
	check(error instanceof expected.type, `${what}: expected a ${expected.type.name}, got ${String(error)}`);
	const { status, code, message } = error as Error & { status: unknown; code: unknown };
	equal({ status, code }, { status: expected.status, code: expected.code }, `${what} (status, code)`);
	if (expected.message) {
		check(message.includes(expected.message), `${what}: message '${message}' lacks '${expected.message}'`);
	}
	return error;
}

function deepEqual(a: unknown, b: unknown): boolean {
	if (Object.is(a, b)) return true;
	if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
	if (Array.isArray(a) !== Array.isArray(b)) return false;
	const keysA = Object.keys(a);
	const keysB = Object.keys(b);
	if (keysA.length !== keysB.length) return false;
	return keysA.every(
		(key) =>
			Object.hasOwn(b, key) &&
			deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
	);
}
