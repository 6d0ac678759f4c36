/**
 * GitHub App installations (docs/github-app.md): the user is sent to the app's installation page,
 * GitHub redirects to the Setup URL (our callback) with `installation_id`, and the worker mints an
 * installation token with the app's private key; the token lives an hour and is minted again the
 * same way. API calls carry `Authorization: Bearer`.
 */
import type { AppCredentials } from "../../connections/credentials";
import type { FlowFailure } from "../../flow/failure";
import { newSession } from "../../flow/session";
import { fillPlaceholders } from "../../providers/placeholders";
import { requiredUrl } from "../../providers/template";
import { withBearer } from "../bearer";
import type {
	AuthMode,
	FlowFinish,
	FlowFinished,
	FlowStart,
	FlowStarted,
	Refreshed,
	RefreshInput,
} from "../mode";
import { parseExpiry } from "../oauth2";
import { INSTALLATION_ID, type Minted, mintInstallationToken } from "./installation-token";

/** The config's own slug in the install page's URL (never a connection value). */
// biome-ignore lint/suspicious/noTemplateCurlyInString: the template's placeholder, not JS
const APP_SLUG = "${app_slug}";
// GitHub's slugs: lowercase letters, digits and hyphens (the app name, normalized).
export const APP_SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,99}$/;

export const githubApp: AuthMode<AppCredentials> = {
	flow: { start, finish, learns: ["installation_id"] },
	expiresAt: (credentials) => parseExpiry(credentials.expires_at),
	// Only the install flow makes APP credentials, and it always records the installation id
	// (`refresh` re-checks it): every such connection can mint again.
	refreshable: () => true,
	refresh,
	authorize: (request, { credentials }) => withBearer(request, credentials.access_token),
	templateValues: (credentials) => ({ accessToken: credentials.access_token }),
};

async function start({ config, template, values, session: input }: FlowStart): Promise<FlowStarted> {
	if (config.appSlug === null || !APP_SLUG_PATTERN.test(config.appSlug)) {
		return { reason: "no_template", provider: config.provider };
	}
	const session = newSession(input);
	const page = requiredUrl(template, "authorization_url").replaceAll(APP_SLUG, config.appSlug);
	const url = new URL(fillPlaceholders(page, values));
	for (const [name, value] of Object.entries(template.authorization_params ?? {})) {
		url.searchParams.set(name, fillPlaceholders(value, values));
	}
	// GitHub hands `state` back on its redirect to the Setup URL.
	url.searchParams.set("state", session.state);
	return { session, location: url.toString() };
}

async function finish({ config, template, query }: FlowFinish): Promise<FlowFinished> {
	const installationId = query.get("installation_id");
	if (installationId === null) {
		// An organization member without the right to install asked an owner to approve: no installation yet.
		const detail = query.get("setup_action") === "request" ? "requested" : "missing";
		return { ok: false, failure: { reason: "installation", detail } };
	}
	if (!INSTALLATION_ID.test(installationId)) {
		return { ok: false, failure: { reason: "installation", detail: "invalid" } };
	}
	const minted = await mintInstallationToken({ config, template, installationId, now: Date.now() });
	if (!minted.ok) return { ok: false, failure: mintFailure(minted) };
	return {
		ok: true,
		credentials: minted.credentials,
		metadata: {},
		connectionConfig: { installation_id: installationId },
	};
}

async function refresh(input: RefreshInput<AppCredentials>): Promise<Refreshed<AppCredentials>> {
	const installationId = input.connectionConfig.installation_id;
	if (typeof installationId !== "string" || !INSTALLATION_ID.test(installationId)) {
		return { ok: false, reason: "misconfigured", message: "the connection holds no valid installation_id." };
	}
	const minted = await mintInstallationToken({ ...input, installationId });
	if (minted.ok) return { ok: true, credentials: minted.credentials, metadata: {} };
	if (minted.reason === "key") {
		return { ok: false, reason: "misconfigured", message: "the config's app_private_key cannot sign." };
	}
	return minted;
}

function mintFailure(failure: Exclude<Minted, { ok: true }>): FlowFailure {
	return failure.reason === "key"
		? { reason: "app_key" }
		: { reason: "token", step: "installation_token", failure };
}
