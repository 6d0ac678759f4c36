/**
 * The connection config of `/oauth/connect` (docs/flows.md#connection-config-and-placeholders): `params[name]=value` pairs, qs-style
 * (`params[a][b]=x` nests). The published clients build them unencoded (`params[${k}]=${v}`), so
 * brackets may arrive raw or percent-encoded; both read the same.
 *
 * @example
 * connectionParams(new URLSearchParams("params[subdomain]=acme&params[a][b]=1"))
 * // → { subdomain: "acme", a: { b: "1" } }
 */

export type ParamTree = { [name: string]: string | ParamTree };

// Bounds on what an anonymous caller may store in a session and a connection.
const MAX_PARAMS = 64;
const MAX_VALUE_LENGTH = 2048;
const MAX_DEPTH = 4;
const NAME = /^[A-Za-z0-9_.-]{1,128}$/;

export class ConnectionParamError extends Error {
	override readonly name = "ConnectionParamError";
}

export function connectionParams(query: URLSearchParams): ParamTree {
	const tree: ParamTree = {};
	let count = 0;
	for (const [key, value] of query) {
		const path = paramPath(key);
		if (!path) continue;
		if (++count > MAX_PARAMS) throw new ConnectionParamError(`at most ${MAX_PARAMS} params`);
		if (value.length > MAX_VALUE_LENGTH)
			throw new ConnectionParamError(`params[${path.join("][")}] is too long`);
		setAt(tree, path, value);
	}
	return tree;
}

/** `params[a][b]` → ["a", "b"]; anything else (including `params` alone) → undefined. */
function paramPath(key: string): string[] | undefined {
	const match = /^params((?:\[[^\][]*\])+)$/.exec(key);
	if (!match?.[1]) return undefined;
	const path = Array.from(match[1].matchAll(/\[([^\][]*)\]/g), (m) => m[1] ?? "");
	// `__proto__` would set a prototype instead of a value.
	if (path.length > MAX_DEPTH || !path.every((name) => NAME.test(name) && name !== "__proto__")) {
		throw new ConnectionParamError(`'${key.slice(0, 64)}' is not a valid param name`);
	}
	return path;
}

function setAt(tree: ParamTree, path: string[], value: string): void {
	let node = tree;
	for (const [i, name] of path.entries()) {
		if (i === path.length - 1) {
			node[name] = value;
			return;
		}
		const child = Object.hasOwn(node, name) ? node[name] : undefined;
		if (typeof child === "object") {
			node = child;
		} else {
			const created: ParamTree = {};
			node[name] = created;
			node = created;
		}
	}
}
