/**
 * The dashboard's page shell (docs/dashboard.md): landmarks (a skip link, a header with the
 * navigation, one main), the stylesheet from this worker, and the sign-out form with its CSRF
 * token. Pages are plain HTML: no script at all.
 */
import type { Child } from "hono/jsx";

export type Section = "integrations" | "connections" | "catalog";

interface LayoutProps {
	title: string;
	section?: Section;
	/** the session's CSRF token; absent on the sign-in page */
	csrf?: string;
	notice?: { kind: "ok" | "error"; text: string } | undefined;
	children: Child;
}

const SECTIONS: Array<[Section, string]> = [
	["integrations", "Integrations"],
	["connections", "Connections"],
	["catalog", "Catalog"],
];

export function Layout({ title, section, csrf, notice, children }: LayoutProps) {
	return (
		<html lang="en">
			<head>
				<meta charset="utf-8" />
				<meta name="viewport" content="width=device-width, initial-scale=1" />
				<title>{`${title} · nango-edge`}</title>
				<link rel="stylesheet" href="/dashboard/style.css" />
			</head>
			<body>
				<a class="skip" href="#main">
					Skip to content
				</a>
				<header>
					<span class="brand">nango-edge</span>
					{csrf !== undefined && (
						<>
							<nav aria-label="Dashboard">
								<ul>
									{SECTIONS.map(([name, label]) => (
										<li>
											<a href={`/dashboard/${name}`} aria-current={name === section ? "page" : undefined}>
												{label}
											</a>
										</li>
									))}
								</ul>
							</nav>
							<form method="post" action="/dashboard/sign-out">
								<input type="hidden" name="csrf" value={csrf} />
								<button type="submit" class="secondary">
									Sign out
								</button>
							</form>
						</>
					)}
				</header>
				<main id="main">
					<h1>{title}</h1>
					{notice && (
						<p class={`notice ${notice.kind}`} role={notice.kind === "error" ? "alert" : "status"}>
							{notice.text}
						</p>
					)}
					{children}
				</main>
			</body>
		</html>
	);
}

/** A form that POSTs with this session's CSRF token. */
export function PostForm(props: { action: string; csrf: string; class?: string; children: Child }) {
	return (
		<form method="post" action={props.action} class={props.class}>
			<input type="hidden" name="csrf" value={props.csrf} />
			{props.children}
		</form>
	);
}
