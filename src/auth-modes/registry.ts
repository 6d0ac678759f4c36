/**
 * Every auth mode by name. Adding a mode: its credentials shape and name in
 * `connections/credentials.ts`, its module in this folder, one line here (the compiler then
 * lists every exhaustive switch that needs a case).
 */
import type { AuthModeName, Credentials, CredentialsOf } from "../connections/credentials";
import { apiKey } from "./api-key";
import { basic } from "./basic";
import { clientCredentials } from "./client-credentials";
import { githubApp } from "./github-app";
import type { AuthMode } from "./mode";
import { oauth1 } from "./oauth1";
import { oauth2 } from "./oauth2";

const modes: { [M in AuthModeName]: AuthMode<CredentialsOf<M>> } = {
	OAUTH2: oauth2,
	OAUTH1: oauth1,
	OAUTH2_CC: clientCredentials,
	API_KEY: apiKey,
	BASIC: basic,
	APP: githubApp,
};

export function authMode(name: AuthModeName): AuthMode<Credentials> {
	return modes[name];
}

/** The mode of these credentials, and whether it can refresh them. */
export function canRefresh(credentials: Credentials): boolean {
	const mode = authMode(credentials.type);
	return mode.refresh !== undefined && mode.refreshable(credentials);
}

/** When these credentials stop working (epoch ms), undefined when unknown or never. */
export function expiresAt(credentials: Credentials): number | undefined {
	return authMode(credentials.type).expiresAt(credentials);
}
