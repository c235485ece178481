/**
 * @module server
 * The HTTP edge (Hono on node:http). Validates input, calls a broker use case, renders the
 * answer; `workers/` runs several such processes on one port (`leash serve --workers N`).
 * Must never hold domain logic, and never answer a malformed request with a 5xx.
 */
export { createApp } from "./create-app.js";
export type { RunningServer } from "./start-server.js";
export { startServer } from "./start-server.js";
export type { WorkerLink } from "./workers/join-workers.js";
export { joinWorkers } from "./workers/join-workers.js";
export type { RunningWorkers } from "./workers/start-workers.js";
export { startWorkers } from "./workers/start-workers.js";
export { configForWorker } from "./workers/worker-messages.js";
