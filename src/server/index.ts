/**
 * @module server
 * The HTTP edge (Hono on node:http). Validates input, calls a broker use case, renders the
 * answer. Must never hold domain logic, and never answer a malformed request with a 5xx.
 */
export { createApp } from "./create-app.js";
export type { RunningServer } from "./start-server.js";
export { startServer } from "./start-server.js";
