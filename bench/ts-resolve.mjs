// A module-resolution hook for benches that reuse the TypeScript test fixtures (test/support)
// under Node's built-in type stripping (Node ≥ 22.18): `./x.js` and `./x` also try `./x.ts`.
export async function resolve(specifier, context, next) {
	try {
		return await next(specifier, context);
	} catch (error) {
		if (!specifier.startsWith(".") || error?.code !== "ERR_MODULE_NOT_FOUND") throw error;
		const base = specifier.endsWith(".js") ? specifier.slice(0, -3) : specifier;
		return next(`${base}.ts`, context);
	}
}
