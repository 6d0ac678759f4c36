/**
 * The popup's start URL: `/oauth/connect/<key>?connection_id=…&params[name]=…` (docs/flows.md#query-parameters), with the
 * public key under the name the server's client family uses (`public_key` or `pizzly_pkey`).
 */

export interface ConnectQuery {
	/** absent under a connect session */
	connectionId?: string | undefined;
	connectSessionToken?: string | undefined;
	params?: Record<string, string> | undefined;
	hmac?: string | undefined;
	/** [query name, value] of the public key, when there is one */
	publicKey?: [name: string, value: string] | undefined;
}

export function connectUrl(host: URL, providerConfigKey: string, query: ConnectQuery): string {
	const parts: string[] = [];
	if (query.connectSessionToken) {
		parts.push(`connect_session_token=${encodeURIComponent(query.connectSessionToken)}`);
	}
	if (query.connectionId !== undefined) parts.push(`connection_id=${encodeURIComponent(query.connectionId)}`);
	if (query.publicKey) parts.push(`${query.publicKey[0]}=${encodeURIComponent(query.publicKey[1])}`);
	if (query.hmac) parts.push(`hmac=${encodeURIComponent(query.hmac)}`);
	for (const [name, value] of Object.entries(query.params ?? {})) {
		// brackets stay literal: qs-style nesting, as the early clients sent it
		if (typeof value === "string")
			parts.push(`params[${encodeURIComponent(name)}]=${encodeURIComponent(value)}`);
	}
	return `${base(host)}/oauth/connect/${encodeURIComponent(providerConfigKey)}?${parts.join("&")}`;
}

/** the host without its trailing slash */
export function base(host: URL): string {
	return host.href.replace(/\/+$/, "");
}
