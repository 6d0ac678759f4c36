/**
 * @nango-edge/frontend: opens the OAuth popup of a nango-edge worker and resolves when the
 * connection is stored. Also served by the worker at `/sdk/frontend.js`:
 *
 * @example
 * <script type="module">
 *   import Nango from "http://localhost:3003/sdk/frontend.js";
 *   const nango = new Nango("http://localhost:3003");
 *   button.onclick = () => nango.auth("github", "user-1").then(console.log, (e) => console.log(e.type));
 * </script>
 */
export { AuthError, type AuthErrorType } from "./errors.js";
export { type AuthOptions, type AuthResult, type ConnectResult, Nango, type NangoOptions } from "./nango.js";
export { Pizzly } from "./pizzly.js";

import { Nango } from "./nango.js";
export default Nango;
