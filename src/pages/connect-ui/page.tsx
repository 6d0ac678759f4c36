/**
 * The Connect UI's markup (docs/connect-ui.md): one static page whose views the script shows one
 * at a time. It holds no session data: the script fetches that with the token, so the HTML is the
 * same for every visitor but for the CSP nonce.
 */
import { raw } from "hono/html";
import { CONNECT_UI_SCRIPT } from "./script";
import { CONNECT_UI_STYLES } from "./styles";

export function ConnectPage({ nonce }: { nonce: string }) {
	return (
		<html lang="en">
			<head>
				<meta charset="utf-8" />
				<meta name="viewport" content="width=device-width, initial-scale=1" />
				<meta name="referrer" content="no-referrer" />
				<title>Connect an account</title>
				<style nonce={nonce}>{raw(CONNECT_UI_STYLES)}</style>
			</head>
			<body>
				<div class="card">
					<header>
						<h1>Connect an account</h1>
						<button type="button" id="close" class="secondary">
							Close
						</button>
					</header>
					<main>
						<section id="view-start" aria-labelledby="start-heading">
							<h2 id="start-heading" tabindex={-1}>
								Getting ready
							</h2>
							<p id="start-text" class="status" role="status">
								Loading…
							</p>
						</section>
						<section id="view-list" aria-labelledby="list-heading" hidden>
							<h2 id="list-heading" tabindex={-1}>
								Choose an integration
							</h2>
							<p id="list-error" class="notice" role="alert"></p>
							<ul id="integrations" class="choices"></ul>
							<p id="list-empty" class="status" hidden>
								There is nothing to connect in this session.
							</p>
						</section>
						<section id="view-form" aria-labelledby="form-heading" hidden>
							<h2 id="form-heading" tabindex={-1}>
								Connect
							</h2>
							<form id="form" noValidate aria-describedby="form-error">
								<p id="form-error" class="notice" aria-live="assertive"></p>
								<div id="fields"></div>
								<div class="actions">
									<button type="submit" id="submit">
										Connect
									</button>
									<button type="button" id="back" class="secondary">
										Back
									</button>
								</div>
							</form>
						</section>
						<section id="view-wait" aria-labelledby="wait-heading" hidden>
							<h2 id="wait-heading" tabindex={-1}>
								Finish in the new window
							</h2>
							<p id="wait-text"></p>
							<button type="button" id="cancel" class="secondary">
								Cancel
							</button>
						</section>
						<section id="view-done" aria-labelledby="done-heading" hidden>
							<h2 id="done-heading" tabindex={-1}>
								Connected
							</h2>
							<p id="done-text"></p>
							<button type="button" id="done">
								Done
							</button>
						</section>
						<section id="view-error" aria-labelledby="error-heading" hidden>
							<h2 id="error-heading" tabindex={-1}>
								This link cannot be used
							</h2>
							<p id="error-message" class="notice" role="alert"></p>
						</section>
					</main>
				</div>
				<script nonce={nonce}>{raw(CONNECT_UI_SCRIPT)}</script>
			</body>
		</html>
	);
}
