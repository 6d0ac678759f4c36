/**
 * Templates written by hand beside the generated catalog (`catalog.json`): entries whose auth mode
 * the generator's provider table does not describe. `catalog.ts` serves them as catalog entries;
 * a generated entry of the same key is shadowed by the one here.
 */

export const BUILT_IN_TEMPLATES: Record<string, unknown> = {
	// GitHub App installations (docs/github-app.md). `${app_slug}` is the config's own slug, never a
	// connection value; `installation_id` arrives on GitHub's redirect to the Setup URL and is
	// digits only, so it can only name a path under api.github.com.
	"github-app": {
		auth_mode: "APP",
		name: "GitHub App",
		// biome-ignore lint/suspicious/noTemplateCurlyInString: the catalog's placeholders, not JS
		authorization_url: "https://github.com/apps/${app_slug}/installations/new",
		// biome-ignore lint/suspicious/noTemplateCurlyInString: the catalog's placeholders, not JS
		token_url: "https://api.github.com/app/installations/${connectionConfig.installation_id}/access_tokens",
		connection_config: {
			installation_id: {
				description: "The installation's id, sent by GitHub when the app is installed",
				pattern: "^[1-9][0-9]{0,19}$",
			},
		},
		docs: "https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/authenticating-as-a-github-app-installation",
		proxy: { base_url: "https://api.github.com" },
	},
};
