/**
 * A new connection's config, as every way in builds it (`/oauth/connect`, the credential routes):
 * the browser's `params[...]`, refused where a value could choose a host
 * (docs/flows.md#who-chooses-a-host), under the values the app's backend chose (a reconnected
 * connection's own config, then the connect session's defaults), which win.
 */
import { browserRefusal, placeholderKinds } from "../providers/placeholder-origin";
import { UrlParamError } from "../providers/placeholders";
import type { ProviderTemplate } from "../providers/template";
import type { ConnectionGrant } from "./grant";
import type { ParamTree } from "./params";

/**
 * The browser's `params[...]`, refused where a value could choose the host that receives the
 * client secret, a code or a token (docs/flows.md#who-chooses-a-host).
 */
export function browserConfig(template: ProviderTemplate, params: ParamTree): ParamTree {
	const kinds = placeholderKinds(template);
	const refused: string[] = [];
	for (const [name, value] of Object.entries(params)) {
		const reason = browserRefusal(template, kinds, name, typeof value === "string" ? value : "");
		if (reason) refused.push(reason);
	}
	if (refused.length > 0) throw new UrlParamError([], refused);
	return params;
}

/** The values the app's backend chose for this integration; they win over the browser's. */
export function sessionConfig(grant: ConnectionGrant, providerConfigKey: string): Record<string, unknown> {
	const defaults = grant.session?.integrationsConfigDefaults[providerConfigKey];
	return { ...(grant.existingConfig ?? {}), ...(defaults?.connection_config ?? {}) };
}
