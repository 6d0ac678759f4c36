// The part of oidc-provider's API that test/support/oidc.ts uses (the package ships no types).
declare module "oidc-provider" {
	import type { IncomingMessage, ServerResponse } from "node:http";

	export interface OidcContext {
		oidc: { params?: unknown };
	}

	export interface OidcClient {
		grantTypeAllowed(grantType: string): boolean;
	}

	export interface Account {
		accountId: string;
		claims(): Promise<Record<string, unknown>>;
	}

	export interface Configuration {
		clients?: Array<Record<string, unknown>>;
		pkce?: { required?: () => boolean };
		scopes?: string[];
		features?: Record<string, { enabled: boolean; allowedPolicy?: () => Promise<boolean> }>;
		ttl?: Record<string, number>;
		issueRefreshToken?: (ctx: OidcContext, client: OidcClient) => boolean | Promise<boolean>;
		rotateRefreshToken?: () => boolean;
		findAccount?: (ctx: OidcContext, sub: string) => Promise<Account>;
		cookies?: { keys: string[] };
	}

	export interface StoredToken {
		destroy(): Promise<void>;
	}

	export default class Provider {
		constructor(issuer: string, configuration: Configuration);
		AccessToken: { find(token: string): Promise<StoredToken | undefined> };
		on(event: string, listener: (ctx: OidcContext) => void): this;
		callback(): (req: IncomingMessage, res: ServerResponse) => void;
	}
}
