/**
 * Auth webhooks (docs/webhooks.md): the body today's Nango sends when a connection is created,
 * authorized again, fails to refresh, or refreshes again after failing. No secret is ever part
 * of it: ids, the mode, the end user, the error's code and message.
 */

import type { EndUser } from "../connect-sessions/session";
import type { AuthModeName } from "../connections/credentials";

export type AuthOperation = "creation" | "override" | "refresh";

export interface AuthWebhook {
	from: "nango";
	type: "auth";
	connectionId: string;
	providerConfigKey: string;
	authMode: AuthModeName;
	provider: string;
	environment: "prod";
	operation: AuthOperation;
	success: boolean;
	endUser?: {
		endUserId: string;
		endUserEmail: string | null;
		organizationId?: string;
		tags: Record<string, string>;
	};
	tags?: Record<string, string>;
	error?: { type: string; description: string };
}

export interface AuthEventInput {
	providerConfigKey: string;
	connectionId: string;
	authMode: AuthModeName;
	provider: string;
	operation: AuthOperation;
	endUser: EndUser | null;
	tags: Record<string, string>;
	/** a failed refresh: its error code and message */
	error?: { code: string; message: string };
}

export function authWebhook(input: AuthEventInput): AuthWebhook {
	const { endUser } = input;
	return {
		from: "nango",
		type: "auth",
		connectionId: input.connectionId,
		providerConfigKey: input.providerConfigKey,
		authMode: input.authMode,
		provider: input.provider,
		environment: "prod",
		operation: input.operation,
		success: input.error === undefined,
		...(endUser
			? {
					endUser: {
						endUserId: endUser.id,
						endUserEmail: endUser.email,
						...(endUser.organization ? { organizationId: endUser.organization.id } : {}),
						tags: endUser.tags ?? {},
					},
				}
			: {}),
		...(Object.keys(input.tags).length > 0 ? { tags: input.tags } : {}),
		...(input.error ? { error: { type: input.error.code, description: input.error.message } } : {}),
	};
}
