/**
 * Tries new credentials against the provider before they are stored (docs/credential-auth.md#verification):
 * the template's verification requests, built like any proxied call, in order, the first 2xx
 * accepting them. Each has a 10-second timeout; redirects are not followed; nothing of the answer
 * but its status is read.
 */
import type { Credentials } from "../connections/credentials";
import type { ProviderTemplate } from "../providers/template";
import { send } from "./send";
import { fillTemplate } from "./template-values";
import { NO_CLIENT, upstreamRequest, valuesFor } from "./upstream";

const VERIFY_TIMEOUT_MS = 10_000;

export type Verified = { ok: true } | { ok: false; status?: number; reason: string };

export async function verifyCredentials(
	template: ProviderTemplate,
	credentials: Credentials,
	connectionConfig: Record<string, unknown>,
): Promise<Verified> {
	const verification = template.verification;
	if (!verification) return { ok: true };
	const values = valuesFor(credentials, NO_CLIENT, connectionConfig);
	let last: Verified = { ok: false, reason: "no verification endpoint could be built" };
	for (const endpoint of verification.endpoints) {
		// Some providers put a credential in the path itself (Algolia's key, Twilio's account).
		const filled = fillTemplate(endpoint, values);
		if (filled === undefined) continue;
		const [path = "", search = ""] = filled.split(/\?(.*)/s);
		const built = await upstreamRequest({
			template,
			config: NO_CLIENT,
			credentials,
			connectionConfig,
			method: verification.method,
			path,
			search: search ? `?${search}` : "",
		});
		if (!built.ok) {
			last = { ok: false, reason: `the verification request could not be built (${built.reason})` };
			continue;
		}
		const sent = await send(built.request, VERIFY_TIMEOUT_MS);
		if (!sent.ok) {
			last = { ok: false, reason: `the provider did not answer (${sent.reason})` };
			continue;
		}
		await sent.response.body?.cancel();
		if (sent.response.ok) return { ok: true };
		last = {
			ok: false,
			status: sent.response.status,
			reason: `the provider answered ${sent.response.status}`,
		};
	}
	return last;
}
