import type { Clock } from "../clock/index.js";
import { toCanonicalJson } from "../encoding/index.js";
import type { AttestationRow, DecisionRow, Store } from "../store/index.js";
import { auditError } from "./audit-errors.js";
import { computeChainHash, GENESIS_HASH } from "./chain-hash.js";
import type { CheckpointSigner } from "./checkpoint.js";
import { signCheckpoint } from "./checkpoint.js";
import type { DecisionRecord } from "./decision-record.js";

export interface AuditLog {
  /**
   * Resolves once the record is durable, with the attestations its decision produced
   * (stored in the same transaction, so evidence is never usable before, or without, its
   * record); rejects with ERR_AUDIT_WRITE_FAILED (the caller must then deny).
   */
  append(record: DecisionRecord, attestations?: readonly AttestationRow[]): Promise<void>;
  /** Resolves when everything appended so far is written. */
  flush(): Promise<void>;
  /**
   * Writes everything appended so far, then a signed checkpoint of the chain's head unless
   * one covers it already. Unlike the periodic checkpoints, a failure here is thrown: for a
   * record that must be covered at once (an admin action done offline, a prune).
   */
  checkpoint(): Promise<void>;
  /**
   * Writes everything appended so far and signs the chain's head, so a stopped instance
   * leaves no unsigned tail (one that could be cut off unseen). Never throws: the process
   * is going away, and the operator's log hears of a checkpoint that failed.
   */
  close(): Promise<void>;
}

export interface AuditLogOptions {
  store: Store;
  /** This instance's chain id. */
  chain: string;
  clock: Clock;
  signer: CheckpointSigner;
  checkpointEveryRecords?: number;
  checkpointEveryMs?: number;
}

interface Pending {
  record: DecisionRecord;
  attestations: readonly AttestationRow[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Opens the append-only, hash-chained decision log for one chain. Appends that arrive
 * together are written in one transaction (group commit); a batch that fails fails every
 * record in it, and the chain tail is reloaded so nothing half-written is linked to.
 */
export async function createAuditLog(opts: AuditLogOptions): Promise<AuditLog> {
  const everyRecords = opts.checkpointEveryRecords ?? 1000;
  const everyMs = opts.checkpointEveryMs ?? 60_000;
  let tail = await readTail(opts.store, opts.chain);
  // When the last checkpoint was due (a periodic checkpoint that failed leaves the schedule
  // ahead of what is signed), and the head the newest stored checkpoint signed.
  let lastCheckpoint = { seq: tail.seq, ms: opts.clock.now() };
  let signedSeq = (await opts.store.lastCheckpoint(opts.chain))?.seq ?? 0;
  let queue: Pending[] = [];
  let writing: Promise<void> | undefined;
  // Checkpoints are written one at a time, so no seq is signed twice (a timer's checkpoint
  // still in flight when close() signs the same head).
  let signing: Promise<void> = Promise.resolve();
  // Signs an idle chain's tail once it is T old: without it, records that stop arriving
  // would stay unsigned until the next one, or forever when this instance stops for good.
  let idleTimer: NodeJS.Timeout | undefined;
  let closed = false;

  const writeBatch = async (batch: Pending[]) => {
    const rows: DecisionRow[] = [];
    const attestations: AttestationRow[] = [];
    let { seq, hash } = tail;
    for (const p of batch) {
      seq += 1;
      const row = toRow(opts.chain, seq, hash, p.record);
      rows.push(row);
      attestations.push(...p.attestations);
      hash = row.hash;
    }
    try {
      await opts.store.appendDecisions(rows, attestations);
      tail = { seq, hash };
      for (const p of batch) p.resolve();
    } catch (cause) {
      tail = await readTail(opts.store, opts.chain).catch(() => tail);
      const err = auditError(
        "ERR_AUDIT_WRITE_FAILED",
        "the decision could not be recorded, so it was denied; check the store",
        undefined,
        cause,
      );
      for (const p of batch) p.reject(err);
      return;
    }
    await maybeCheckpoint();
  };

  /** Signs the head as it is when this checkpoint's turn comes; rejects when the write fails. */
  const signHead = (): Promise<void> => {
    const run = signing.then(async () => {
      if (tail.seq <= signedSeq) return;
      const { seq, hash } = tail;
      await opts.store.insertCheckpoint(
        signCheckpoint(opts.signer, opts.chain, seq, hash, lastCheckpoint.ms),
      );
      signedSeq = Math.max(signedSeq, seq);
    });
    signing = run.catch(() => {});
    return run;
  };

  const maybeCheckpoint = async () => {
    const due =
      tail.seq - lastCheckpoint.seq >= everyRecords ||
      opts.clock.now() - lastCheckpoint.ms >= everyMs;
    if (!due || tail.seq === lastCheckpoint.seq) return signWhenIdle();
    lastCheckpoint = { seq: tail.seq, ms: opts.clock.now() };
    // A failed checkpoint loses no record; the idle timer tries again.
    await signHead().catch(signWhenIdle);
  };

  const signWhenIdle = () => {
    if (idleTimer || closed || tail.seq <= signedSeq) return;
    const wait = Math.max(0, lastCheckpoint.ms + everyMs - opts.clock.now());
    idleTimer = setTimeout(() => {
      idleTimer = undefined;
      // Records still arriving sign the chain themselves (maybeCheckpoint).
      if (writing) return signWhenIdle();
      lastCheckpoint = { seq: tail.seq, ms: opts.clock.now() };
      // Kept trying, once an interval, while the tail stays unsigned.
      signHead().catch(signWhenIdle);
    }, wait);
    idleTimer.unref();
  };

  const drain = async () => {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      await writeBatch(batch);
    }
    writing = undefined;
  };

  const signNow = async () => {
    while (writing) await writing;
    clearTimeout(idleTimer);
    idleTimer = undefined;
    lastCheckpoint = { seq: tail.seq, ms: opts.clock.now() };
    await signHead();
  };

  // Records an earlier process wrote but never signed (it was killed, or its checkpoint
  // failed) are this process's to sign, at the same pace as its own. (Whether they are
  // intact is `leash audit verify`'s question: rewriting an unsigned tail consistently goes
  // unseen whether or not it is signed later, and an inconsistent one is caught either way.)
  signWhenIdle();

  return {
    append(record, attestations = []) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ record, attestations, resolve, reject });
        // Batch whatever arrives in the same turn of the event loop.
        writing ??= new Promise<void>((r) => setImmediate(r)).then(drain);
      });
    },
    async flush() {
      while (writing) await writing;
    },
    checkpoint: signNow,
    async close() {
      closed = true;
      try {
        await signNow();
      } catch {
        process.stderr.write(
          `leash: the closing checkpoint of audit chain ${opts.chain} could not be written; ` +
            "its last records stay unsigned until this chain is written again\n",
        );
      }
    },
  };
}

/**
 * Where the chain goes on: after its last record, or — when `leash audit prune` removed every
 * record — after the checkpoint that anchors it. Starting again at record 1 there would fork
 * the chain from what its signed checkpoint recorded.
 */
async function readTail(store: Store, chain: string) {
  const last = await store.lastDecision(chain);
  if (last) return { seq: last.seq, hash: last.hash };
  const anchor = await store.lastCheckpoint(chain);
  return anchor ? { seq: anchor.seq, hash: anchor.hash } : { seq: 0, hash: GENESIS_HASH };
}

/** The stored row of record `r` at `seq` of `chain`, linked to `prevHash`: its hash covers its canonical JSON. */
export function toRow(
  chain: string,
  seq: number,
  prevHash: string,
  r: DecisionRecord,
): DecisionRow {
  const body = toCanonicalJson(r);
  const principal = r.principal as { capability_id?: string; repository_id?: string } | undefined;
  return {
    chain,
    seq,
    decisionId: r.decision_id,
    timeMs: Date.parse(r.timestamp),
    type: r.type,
    result: r.result,
    action: r.action ?? null,
    repositoryId: principal?.repository_id ?? null,
    capabilityId: principal?.capability_id ?? null,
    body,
    prevHash,
    hash: computeChainHash(chain, seq, prevHash, body),
  };
}
