/**
 * The built bundle as the worker imports it (src/routes/sdk.ts): wrangler's default module rules
 * load `*.txt` as a string. Declared here because dist/ is built, not committed.
 */
declare module "*/sdk/frontend/dist/frontend.txt" {
	const bundle: string;
	export default bundle;
}
