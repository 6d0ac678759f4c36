/**
 * Connections: searched by connection id or end user, a page at a time, each with its status
 * from the plain columns (never its credentials), a forced refresh and a delete.
 */
import { type ConnectionStatusRow, connectionStatus } from "../../db/dashboard";
import { Layout, PostForm } from "./layout";

const STATUS_TEXT = {
	fresh: "Fresh",
	expiring: "Expiring",
	needs_reauth: "Needs re-authorization",
	refresh_error: "Refresh error",
	exhausted: "Exhausted",
} as const;

interface Props {
	csrf: string;
	rows: ConnectionStatusRow[];
	search: string;
	integration: string;
	page: number;
	more: boolean;
	notice?: { kind: "ok" | "error"; text: string } | undefined;
}

export function ConnectionsPage(props: Props) {
	const query = (page: number) =>
		`/dashboard/connections?${new URLSearchParams({ q: props.search, integration: props.integration, page: String(page) })}`;
	return (
		<Layout title="Connections" section="connections" csrf={props.csrf} notice={props.notice}>
			<search>
				<form method="get" action="/dashboard/connections" class="row">
					<label>
						Search
						<span class="hint">Connection id, end user id or email</span>
						<input type="search" name="q" value={props.search} />
					</label>
					<label>
						Integration
						<input name="integration" value={props.integration} />
					</label>
					<button type="submit">Search</button>
				</form>
			</search>
			{props.rows.length === 0 ? (
				<p>No connections{props.search || props.integration ? " match" : " yet"}.</p>
			) : (
				<table>
					<caption class="skip">Connections, page {props.page + 1}</caption>
					<thead>
						<tr>
							<th scope="col">Connection</th>
							<th scope="col">Integration</th>
							<th scope="col">End user</th>
							<th scope="col">Status</th>
							<th scope="col">Last refresh</th>
							<th scope="col">Actions</th>
						</tr>
					</thead>
					<tbody>
						{props.rows.map((row) => {
							const status = connectionStatus(row);
							const fields = (
								<>
									<input type="hidden" name="key" value={row.providerConfigKey} />
									<input type="hidden" name="id" value={row.connectionId} />
								</>
							);
							return (
								<tr>
									<td>
										<code>{row.connectionId}</code>
									</td>
									<td>{row.providerConfigKey}</td>
									<td>{row.endUser ? (row.endUser.email ?? row.endUser.id) : "—"}</td>
									<td>
										<span class={`status status-${status}`}>{STATUS_TEXT[status]}</span>
										{row.lastRefreshError && (
											<div class="hint">{`${row.lastRefreshError.code}: ${row.lastRefreshError.message}`}</div>
										)}
										{row.refreshFailures > 0 && (
											<div class="hint">{`${row.refreshFailures} failed refresh(es) in a row`}</div>
										)}
									</td>
									<td>
										{row.credentialsIssuedAt ? new Date(row.credentialsIssuedAt).toISOString() : "never here"}
									</td>
									<td>
										<div class="row">
											{row.refreshable && (
												<PostForm action="/dashboard/connections/refresh" csrf={props.csrf} class="inline">
													{fields}
													<button
														type="submit"
														class="secondary"
														aria-label={`Refresh ${row.connectionId} now`}
													>
														Refresh
													</button>
												</PostForm>
											)}
											<PostForm action="/dashboard/connections/delete" csrf={props.csrf} class="inline">
												{fields}
												<button type="submit" class="danger" aria-label={`Delete ${row.connectionId}`}>
													Delete
												</button>
											</PostForm>
										</div>
									</td>
								</tr>
							);
						})}
					</tbody>
				</table>
			)}
			<nav aria-label="Pages" class="row">
				{props.page > 0 && <a href={query(props.page - 1)}>Previous page</a>}
				{props.more && <a href={query(props.page + 1)}>Next page</a>}
			</nav>
		</Layout>
	);
}
