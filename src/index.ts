/** Worker entry: the app (a token read from memory first) and the Durable Object classes. */
import { app } from "./app";
import type { Bindings } from "./env";
import { answerFromMemory } from "./memory-read";

export { ConnectionRefresher } from "./connections/refresher";
export { ResultChannel } from "./flow/result-channel";

export default {
	fetch(request, env, ctx) {
		return answerFromMemory(request, env, ctx) ?? app.fetch(request, env, ctx);
	},
} satisfies ExportedHandler<Bindings>;
