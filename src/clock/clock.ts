/** Time as leash sees it: injected everywhere so tests never sleep. Milliseconds since epoch. */
export interface Clock {
  now(): number;
}

/** The real clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests move by hand. */
export interface ManualClock extends Clock {
  set(ms: number): void;
  advance(ms: number): void;
}

/** Creates a clock that stands still at `startMs` until moved. */
export function createManualClock(startMs: number): ManualClock {
  let t = startMs;
  return {
    now: () => t,
    set: (ms) => {
      t = ms;
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

/** Whole seconds since epoch, as JWT claims want them. */
export function toEpochSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}
