/** The template catalog, searchable by key or name, with each template's mode and API base URL. */
import type { ProviderTemplate } from "../../providers/template";
import { Layout } from "./layout";

export function CatalogPage(props: {
	csrf: string;
	templates: Array<[string, ProviderTemplate]>;
	search: string;
	total: number;
}) {
	return (
		<Layout title="Catalog" section="catalog" csrf={props.csrf}>
			<search>
				<form method="get" action="/dashboard/catalog" class="row">
					<label>
						Search templates
						<input type="search" name="q" value={props.search} />
					</label>
					<button type="submit">Search</button>
				</form>
			</search>
			<p>
				{props.templates.length} of {props.total} templates.
			</p>
			<table>
				<caption class="skip">Provider templates</caption>
				<thead>
					<tr>
						<th scope="col">Key</th>
						<th scope="col">Name</th>
						<th scope="col">Auth mode</th>
						<th scope="col">API base URL</th>
						<th scope="col">Use</th>
					</tr>
				</thead>
				<tbody>
					{props.templates.map(([key, template]) => (
						<tr>
							<td>
								<code>{key}</code>
							</td>
							<td>{template.name ?? key}</td>
							<td>{template.auth_mode}</td>
							<td>{template.proxy?.base_url ? <code>{template.proxy.base_url}</code> : "—"}</td>
							<td>
								<a
									href={`/dashboard/integrations/new?provider=${encodeURIComponent(key)}`}
									aria-label={`New integration: ${template.name ?? key}`}
								>
									New integration
								</a>
							</td>
						</tr>
					))}
				</tbody>
			</table>
		</Layout>
	);
}
