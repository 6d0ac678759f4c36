/** Worker entry: the app and the Durable Object classes, nothing else. */
import { app } from "./app";

export { ResultChannel } from "./oauth/result-channel";
export { ConnectionRefresher } from "./refresh/connection-refresher";

export default app;
