/** Worker entry: the app and the Durable Object classes, nothing else. */
import { app } from "./app";

export { ConnectionRefresher } from "./connections/refresher";
export { ResultChannel } from "./flow/result-channel";

export default app;
