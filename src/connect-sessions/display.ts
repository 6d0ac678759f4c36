/**
 * What `GET /connect/session` answers (docs/connect-sessions.md): the session as the Connect UI needs
 * it, with each integration the end user may connect and the connection-config fields the user
 * must still fill (not those the backend set, and never a host: those come only from the backend).
 */
import type { ConfigSummary } from "../db/configs";
import { resolveTemplate } from "../providers/catalog";
import { placeholderKinds } from "../providers/placeholder-origin";
import { allowsIntegration, type ConnectSession } from "./session";

export function sessionDisplay(session: ConnectSession, configs: ConfigSummary[]) {
	return {
		end_user: session.endUser,
		organization: session.organization,
		allowed_integrations: session.allowedIntegrations,
		integrations_config_defaults: session.integrationsConfigDefaults,
		tags: session.tags,
		expires_at: new Date(session.expiresAt).toISOString(),
		is_reconnect: session.reconnect !== null,
		...(session.reconnect
			? {
					reconnect: {
						provider_config_key: session.reconnect.providerConfigKey,
						connection_id: session.reconnect.connectionId,
					},
				}
			: {}),
		integrations: configs
			.filter((config) => allowsIntegration(session, config.uniqueKey))
			.flatMap((config) => integrationDisplay(session, config)),
	};
}

function integrationDisplay(session: ConnectSession, config: ConfigSummary) {
	const template = resolveTemplate(config.provider, config.template);
	if (!template) return [];
	const kinds = placeholderKinds(template);
	const preset = session.integrationsConfigDefaults[config.uniqueKey]?.connection_config ?? {};
	const fields = Object.entries(template.connection_config ?? {}).filter(
		([name]) => !Object.hasOwn(preset, name) && kinds.get(name) !== "host",
	);
	return [
		{
			unique_key: config.uniqueKey,
			provider: config.provider,
			display_name: template.name ?? config.provider,
			auth_mode: template.auth_mode,
			connection_config: Object.fromEntries(fields),
		},
	];
}
