/**
 * Integrations (provider configs): the list, the create and edit form, and the delete form
 * that says how many connections go with it. A client secret is shown only after the operator
 * asks for it (a POST), never in a list.
 */
import type { ConfigSummary } from "../../db/configs";
import type { ProviderTemplate } from "../../providers/template";
import { Layout, PostForm } from "./layout";

export interface IntegrationFormValues {
	provider_config_key?: string;
	provider?: string;
	oauth_client_id?: string;
	oauth_scopes?: string;
	authorization_url?: string;
	token_url?: string;
	auth_mode?: string;
}

export function IntegrationsPage(props: {
	csrf: string;
	configs: ConfigSummary[];
	counts: Map<string, number>;
	notice?: string;
}) {
	return (
		<Layout
			title="Integrations"
			section="integrations"
			csrf={props.csrf}
			notice={props.notice ? { kind: "ok", text: props.notice } : undefined}
		>
			<p>
				<a href="/dashboard/integrations/new">New integration</a>
			</p>
			{props.configs.length === 0 ? (
				<p>No integrations yet.</p>
			) : (
				<table>
					<caption class="skip">Integrations</caption>
					<thead>
						<tr>
							<th scope="col">Key</th>
							<th scope="col">Provider</th>
							<th scope="col">Client id</th>
							<th scope="col">Connections</th>
							<th scope="col">Created</th>
						</tr>
					</thead>
					<tbody>
						{props.configs.map((config) => (
							<tr>
								<td>
									<a href={`/dashboard/integrations/${encodeURIComponent(config.uniqueKey)}`}>
										{config.uniqueKey}
									</a>
								</td>
								<td>{config.provider}</td>
								<td>
									<code>{config.oauthClientId}</code>
								</td>
								<td>
									<a href={`/dashboard/connections?integration=${encodeURIComponent(config.uniqueKey)}`}>
										{props.counts.get(config.uniqueKey) ?? 0}
									</a>
								</td>
								<td>{config.createdAt}</td>
							</tr>
						))}
					</tbody>
				</table>
			)}
		</Layout>
	);
}

interface FormProps {
	csrf: string;
	/** the catalog for the provider picker: key and display name */
	providers: Array<[string, ProviderTemplate]>;
	values: IntegrationFormValues;
	/** editing an existing config */
	editing?: { key: string; connections: number; secret?: string };
	error?: string;
}

export function IntegrationFormPage(props: FormProps) {
	const { values, editing } = props;
	const title = editing ? `Integration ${editing.key}` : "New integration";
	const action = editing
		? `/dashboard/integrations/${encodeURIComponent(editing.key)}`
		: "/dashboard/integrations";
	return (
		<Layout
			title={title}
			section="integrations"
			csrf={props.csrf}
			notice={props.error ? { kind: "error", text: props.error } : undefined}
		>
			<PostForm action={action} csrf={props.csrf} class="stack">
				<label>
					Integration key
					<span class="hint">The provider_config_key your code uses (A–Z a–z 0–9 _ . -).</span>
					<input
						name="provider_config_key"
						required
						pattern="[A-Za-z0-9_.\-]{1,255}"
						value={values.provider_config_key ?? ""}
						readonly={editing !== undefined}
					/>
				</label>
				<label>
					Provider
					<span class="hint">
						Type to search the catalog ({props.providers.length} templates), or any other name for a custom
						provider.
					</span>
					<input name="provider" list="providers" required autocomplete="off" value={values.provider ?? ""} />
				</label>
				<datalist id="providers">
					{props.providers.map(([key, template]) => (
						<option value={key}>{template.name ?? key}</option>
					))}
				</datalist>
				<label>
					Client id
					<input name="oauth_client_id" autocomplete="off" value={values.oauth_client_id ?? ""} />
				</label>
				<label>
					Client secret
					<span class="hint">
						{editing ? "Leave empty to keep the stored secret." : "Sealed at rest; never shown in lists."}
					</span>
					<input type="password" name="oauth_client_secret" autocomplete="new-password" />
				</label>
				<label>
					Scopes
					<span class="hint">Comma-separated.</span>
					<input name="oauth_scopes" value={values.oauth_scopes ?? ""} />
				</label>
				<fieldset class="stack">
					<legend>Custom provider only</legend>
					<label>
						Authorization URL
						<input name="authorization_url" type="url" value={values.authorization_url ?? ""} />
					</label>
					<label>
						Token URL
						<input name="token_url" type="url" value={values.token_url ?? ""} />
					</label>
				</fieldset>
				<button type="submit">{editing ? "Save" : "Create integration"}</button>
			</PostForm>
			{editing && (
				<>
					<h2>Client secret</h2>
					{editing.secret === undefined ? (
						<PostForm action={`${action}/reveal`} csrf={props.csrf}>
							<button type="submit" class="secondary">
								Show the client secret
							</button>
						</PostForm>
					) : (
						<p>
							<code>{editing.secret}</code>
						</p>
					)}
					<h2>Delete</h2>
					<PostForm action={`${action}/delete`} csrf={props.csrf} class="stack">
						{editing.connections > 0 && (
							<label>
								<span>
									<input type="checkbox" name="confirm" value="yes" required /> Also delete its{" "}
									{editing.connections} connection
									{editing.connections === 1 ? "" : "s"} (their tokens are gone for good)
								</span>
							</label>
						)}
						<button type="submit" class="danger">
							Delete integration
						</button>
					</PostForm>
				</>
			)}
		</Layout>
	);
}
