/** The sign-in page: the secret key, once per session (docs/dashboard.md#sign-in). */
import { Layout } from "./layout";

export function SignInPage(props: { error?: string; open: boolean }) {
	return (
		<Layout title="Sign in" notice={props.error ? { kind: "error", text: props.error } : undefined}>
			<form method="post" action="/dashboard/sign-in" class="stack">
				{props.open ? (
					<p>This local worker has no secret key (NANGO_SECRET_KEY): anyone on this machine may sign in.</p>
				) : (
					<label>
						Secret key
						<span class="hint">The worker's NANGO_SECRET_KEY, as your backend sends it.</span>
						<input type="password" name="key" autocomplete="current-password" required />
					</label>
				)}
				<button type="submit">Sign in</button>
			</form>
		</Layout>
	);
}
