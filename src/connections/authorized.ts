/**
 * A new authorization, from a flow's callback or a credential route: stored (creating the
 * connection or replacing its credentials), forgotten by the read path's memories, and told to
 * the app as a `creation` or `override` auth webhook (docs/webhooks.md). One place, so every way
 * in does all three.
 */
import type { Keyring } from "../crypto/cipher";
import type { Db } from "../db/client";
import { type ConnectionInput, saveAuthorization } from "../db/connections";
import type { Bindings } from "../env";
import { queueAuthWebhook } from "../webhooks/outbox";
import { forgetConnection } from "./forget";

export async function storeAuthorization(
	env: Bindings,
	db: Db,
	keyring: Keyring,
	input: ConnectionInput,
	provider: string,
): Promise<{ created: boolean }> {
	const { created } = await saveAuthorization(db, keyring, input);
	// A new authorization replaces whatever the read path remembers of the old one.
	await forgetConnection(env, input.providerConfigKey, input.connectionId);
	await queueAuthWebhook(
		env,
		{
			providerConfigKey: input.providerConfigKey,
			connectionId: input.connectionId,
			authMode: input.credentials.type,
			provider,
			operation: created ? "creation" : "override",
			endUser: input.owner?.endUser ?? null,
			tags: input.owner?.tags ?? {},
		},
		input.owner?.webhookUrl,
	);
	return { created };
}
