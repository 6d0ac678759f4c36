/** Worker entry: the app and the Durable Object classes, nothing else. */
import { app } from "./app";

export default app;
