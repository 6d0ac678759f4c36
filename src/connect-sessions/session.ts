/**
 * A connect session as the worker uses it (docs/connect-sessions.md): who the end user is, which
 * integrations the browser may connect, the values the backend chose for them, and, for a
 * reconnect session, the one connection its flows replace.
 */

import type { ConnectionOwner } from "../db/connections";

/** The end user as every connection read returns it (today's Nango `end_user`). */
export interface EndUser {
	id: string;
	email: string | null;
	display_name: string | null;
	tags: Record<string, string> | null;
	organization: Organization | null;
}

export interface Organization {
	id: string;
	display_name: string | null;
}

/** Per integration, what the backend decided; session values win over the browser's. */
export interface IntegrationDefaults {
	connection_config?: Record<string, string | number | boolean>;
	authorization_params?: Record<string, string>;
	user_scopes?: string;
}

export interface ConnectSession {
	/** the end user, with `organization` filled from the session's own */
	endUser: EndUser | null;
	organization: Organization | null;
	/** config keys the browser may connect; null allows every config */
	allowedIntegrations: string[] | null;
	integrationsConfigDefaults: Record<string, IntegrationDefaults>;
	tags: Record<string, string>;
	/** set for a reconnect session */
	reconnect: { providerConfigKey: string; connectionId: string } | null;
	/** webhook_url_override: where the auth webhooks of its connections go */
	webhookUrl: string | null;
	/** epoch ms */
	expiresAt: number;
}

/** Whether a session lets the browser connect `providerConfigKey`. */
export function allowsIntegration(session: ConnectSession, providerConfigKey: string): boolean {
	if (session.reconnect) return session.reconnect.providerConfigKey === providerConfigKey;
	return session.allowedIntegrations === null || session.allowedIntegrations.includes(providerConfigKey);
}

/** Who a connection made under this session belongs to, and where its auth webhooks go. */
export function ownerOf(session: ConnectSession): ConnectionOwner {
	return {
		endUser: session.endUser,
		tags: session.tags,
		...(session.webhookUrl ? { webhookUrl: session.webhookUrl } : {}),
	};
}
