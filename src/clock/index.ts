/**
 * @module clock
 * Injected time. Must never be bypassed by `Date.now()` inside a domain function.
 */
export type { Clock, ManualClock } from "./clock.js";
export { createManualClock, systemClock, toEpochSeconds } from "./clock.js";
