/**
 * Worker entry: the app (a warm token read first), the webhook queue's consumer, the
 * background refresh's cron, and the Durable Object classes.
 */
import { app } from "./app";
import { refreshInBackground } from "./background/refresh-run";
import type { Bindings } from "./env";
import { answerBeforeRouting } from "./memory-read";
import { deliverWebhooks } from "./webhooks/delivery";

export { ConnectionRefresher } from "./connections/refresher";
export { ResultChannel } from "./flow/result-channel";

export default {
	fetch(request, env, ctx) {
		const early = answerBeforeRouting(request, env, ctx);
		if (early === undefined || early instanceof Response) return early ?? app.fetch(request, env, ctx);
		return early.then((response) => response ?? app.fetch(request, env, ctx));
	},
	// The context goes unused: each delivery is awaited before the batch is settled.
	queue(batch, env, _ctx) {
		return deliverWebhooks(batch, env);
	},
	async scheduled(controller, env, _ctx) {
		const report = await refreshInBackground(env, controller.scheduledTime);
		// Counts only: which connections failed is on each connection (last_refresh_error).
		console.log(
			`background refresh: ${report.picked} due, ${report.refreshed} refreshed, ${report.failed} failed`,
		);
	},
} satisfies ExportedHandler<Bindings>;
