/**
 * An OAuth flow session (docs/flows.md#flow-sessions): what the callback needs to finish a flow that another
 * isolate (or machine) started. Stored in D1 by `db/sessions.ts`, sealed, single use.
 *
 * @example
 * const session = newSession({ providerConfigKey: "github", connectionId: "u1", ... });
 * await saveSession(db, keyring, session);
 * const taken = await takeSession(db, keyring, session.state); // once; a replay gets "unknown"
 */

import type { AuthModeName } from "../connections/credentials";
import { randomBase64Url } from "../crypto/base64url";
import type { ConnectionOwner } from "../db/connections";

/** docs/flows.md#flow-sessions: a flow must finish within ten minutes. */
export const SESSION_TTL_MS = 10 * 60 * 1000;

export interface FlowSession {
	/** the `state` sent to the provider: 256 random bits, base64url */
	state: string;
	providerConfigKey: string;
	connectionId: string;
	authMode: AuthModeName;
	/** the exact redirect_uri of the authorization request: the token request must repeat it */
	redirectUri: string;
	connectionConfig: Record<string, unknown>;
	/** the WebSocket waiting for this flow's result (@nangohq/frontend 0.9.0, our SDK) */
	wsClientId?: string;
	/** PKCE verifier (RFC 7636), absent when the template disables PKCE */
	codeVerifier?: string;
	/** OAuth 1.0a temporary credentials (RFC 5849 §2.1) */
	requestToken?: { token: string; secret: string };
	/** SHA-256 (hex) of the flow cookie set on the browser that started the flow */
	browserBinding: string;
	/** from the connect session that started the flow: recorded on the connection */
	owner?: ConnectionOwner;
	/** epoch ms */
	expiresAt: number;
}

export type SessionInput = Omit<FlowSession, "state" | "expiresAt">;

export function newSession(input: SessionInput, now = Date.now()): FlowSession {
	return { ...input, state: randomBase64Url(32), expiresAt: now + SESSION_TTL_MS };
}
