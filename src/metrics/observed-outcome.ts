/** What happened to a decision record after the use case ran, as the metrics observer sees it. */
export interface ObservedOutcome {
  /** False when the record could not be written (the caller was then refused). */
  written: boolean;
  /** The whole decision, steps and durable record write, in milliseconds. */
  totalMs: number;
}
