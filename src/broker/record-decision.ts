import { performance } from "node:perf_hooks";
import type { DecisionRecord, DecisionType } from "../audit/index.js";
import { createId } from "../encoding/index.js";
import { hasCode, type LeashError, toLeashError } from "../errors/index.js";
import type { AttestationRow } from "../store/index.js";
import type { Leash } from "./leash.js";

/** The outcome of a use case, always with the id of the decision record that was written. */
export type Decided<T> =
  | { ok: true; decisionId: string; value: T }
  | { ok: false; decisionId: string; error: LeashError };

/** A record under construction; steps add to it as they learn things. */
export type DraftRecord = Omit<DecisionRecord, "latency_ms"> & { latency_ms?: number };

/** Starts a record for one decision; the id goes back to the caller whatever happens. */
export function startRecord(leash: Leash, type: DecisionType): DraftRecord {
  return {
    decision_id: createId("dec"),
    timestamp: new Date(leash.clock.now()).toISOString(),
    type,
    result: "deny",
  };
}

/**
 * Runs a use case's steps and writes its decision record whatever happened. A thrown error
 * becomes a refusal in the record (internal errors are denies too: fail closed). The record is
 * durable before the caller sees the answer; if it can't be written, the answer is
 * ERR_AUDIT_WRITE_FAILED (ERR_STORE_UNAVAILABLE when the database is down) and whatever the
 * steps produced is dropped. Then `leash.observe` (metrics) hears of it.
 *
 * Steps that produce evidence put its attestation rows in `evidence` (stageSignedStatement)
 * instead of storing them: they are stored with the record, in its transaction, and only when
 * the steps succeeded. A refused or unrecorded decision leaves no evidence, and evidence is
 * never usable before the decision that vouches for it is on record.
 */
export async function recordDecision<T>(
  leash: Leash,
  record: DraftRecord,
  steps: (evidence: AttestationRow[]) => Promise<T>,
): Promise<Decided<T>> {
  const started = performance.now();
  const evidence: AttestationRow[] = [];
  let outcome: { ok: true; value: T } | { ok: false; error: LeashError };
  try {
    outcome = { ok: true, value: await steps(evidence) };
  } catch (err) {
    const error = toLeashError(err);
    if (error.code === "ERR_INTERNAL") logInternal(record, err);
    record.result = error.status >= 500 ? "error" : "deny";
    record.code = error.code;
    record.reasons = [{ code: error.code, message: error.message }];
    if (error.detail) record.detail = { ...record.detail, refusal: error.detail };
    outcome = { ok: false, error };
  }
  record.latency_ms = Math.round((performance.now() - started) * 1000) / 1000;
  try {
    await leash.audit.append(record as DecisionRecord, outcome.ok ? evidence : []);
  } catch (err) {
    observe(leash, record, false, started);
    return { ok: false, decisionId: record.decision_id, error: toWriteFailure(err) };
  }
  observe(leash, record, true, started);
  return { ...outcome, decisionId: record.decision_id };
}

/** The one place metrics hear of decisions; an observer that throws never changes the answer. */
function observe(leash: Leash, record: DraftRecord, written: boolean, started: number): void {
  try {
    leash.observe?.(record as DecisionRecord, { written, totalMs: performance.now() - started });
  } catch {
    // Metrics are never worth a refusal.
  }
}

/** A write that failed because the database is down says so: ERR_STORE_UNAVAILABLE, 503. */
function toWriteFailure(err: unknown): LeashError {
  const cause = err instanceof Error ? err.cause : undefined;
  return hasCode(cause, "ERR_STORE_UNAVAILABLE") ? cause : toLeashError(err);
}

/** Internal errors go to the operator's log by decision id and class only: their text may hold input. */
function logInternal(record: DraftRecord, err: unknown): void {
  const name = err instanceof Error ? err.name : typeof err;
  process.stderr.write(
    `leash: internal error in ${record.type} decision ${record.decision_id} (${name})\n`,
  );
  if (process.env["LEASH_DEBUG"] === "1" && err instanceof Error)
    process.stderr.write(`${err.stack}\n`);
}

/**
 * Records a request the edge refused before any use case could run (unreadable body, too
 * large): every refusal is on the record, and nothing else is written.
 */
export async function recordRefusal(
  leash: Leash,
  type: DecisionType,
  action: string,
  error: LeashError,
): Promise<{ decisionId: string; error: LeashError }> {
  const record = startRecord(leash, type);
  record.action = action;
  const decided = await recordDecision<never>(leash, record, async () => {
    throw error;
  });
  return { decisionId: decided.decisionId, error: decided.ok ? error : decided.error };
}
