/**
 * `import Pizzly from "@nango-edge/node/pizzly"`: the Pizzly document's snippets, as written
 * (import path aside). Everything else is the main entry's.
 */
import { Pizzly } from "./client.js";

export * from "./index.js";
export default Pizzly;
