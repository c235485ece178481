import { createPublicKey, type KeyObject } from "node:crypto";
import type { CheckpointRow, DecisionRow, Store } from "../store/index.js";
import { computeChainHash, GENESIS_HASH } from "./chain-hash.js";
import { checkPrunedPrefixes, type PrunedPrefix } from "./check-pruned-prefixes.js";
import { verifyCheckpointSignature } from "./checkpoint.js";

export interface ChainReport {
  chain: string;
  /** Records verified (those after `prunedThrough`). */
  records: number;
  checkpoints: number;
  lastSeq: number;
  /** Records 1..prunedThrough were removed by a recorded `leash audit prune`; 0 when none. */
  prunedThrough: number;
}

export interface AuditProblem {
  chain: string;
  seq: number;
  decisionId: string | undefined;
  what: string;
}

export interface AuditVerification {
  ok: boolean;
  chains: ChainReport[];
  /** The first bad record, when not ok. */
  problem: AuditProblem | undefined;
}

const PAGE = 5000;

/**
 * Checks every chain: sequence without gaps from 1, each prev_hash the hash before it, each
 * hash recomputed from the body; then every checkpoint's signature (any leash key ever used)
 * and that the record it names still has the hash it signed. Catches an edited, deleted,
 * inserted or reordered record, a rewritten chain, and truncation after a checkpoint.
 * A chain whose first records were pruned starts from the signed checkpoint that anchors
 * what remains, and only where a recorded, checkpointed `leash audit prune` covers the gap.
 */
export async function verifyAuditLog(store: Store): Promise<AuditVerification> {
  const keys = await loadPublicKeys(store);
  const chains: ChainReport[] = [];
  const pruned: PrunedPrefix[] = [];
  const lastCheckpoint = new Map<string, number>();
  for (const chain of await listAllChains(store)) {
    const checkpoints = await store.listCheckpoints(chain);
    lastCheckpoint.set(chain, checkpoints.at(-1)?.seq ?? 0);
    const { report, problem } = await verifyChain(store, chain, checkpoints, keys);
    chains.push(report);
    if (problem) return { ok: false, chains, problem };
    if (report.prunedThrough > 0) pruned.push({ chain, throughSeq: report.prunedThrough });
  }
  const problem = await checkPrunedPrefixes(store, pruned, lastCheckpoint);
  return problem ? { ok: false, chains, problem } : { ok: true, chains, problem: undefined };
}

async function listAllChains(store: Store): Promise<string[]> {
  return [...new Set(await store.listChains())].sort();
}

async function verifyChain(
  store: Store,
  chain: string,
  checkpoints: CheckpointRow[],
  keys: Map<string, KeyObject>,
) {
  const bySeq = new Map(checkpoints.map((c) => [c.seq, c]));
  const start = await findStart(store, chain, bySeq, checkpoints.at(-1), keys);
  let prev = start.prev;
  let problem: AuditProblem | undefined = start.problem;
  for (; !problem; ) {
    const page = await store.queryDecisions({ chain, afterSeq: prev.seq, limit: PAGE });
    for (const row of page) {
      problem = checkRow(row, prev) ?? checkCheckpointAt(bySeq.get(row.seq), row, keys);
      if (problem) break;
      prev = { seq: row.seq, hash: row.hash };
    }
    if (problem || page.length < PAGE) break;
  }
  const last = checkpoints.at(-1);
  if (!problem && last && last.seq > prev.seq) {
    problem = {
      chain,
      seq: prev.seq + 1,
      decisionId: undefined,
      what: `records ${prev.seq + 1}..${last.seq} are missing: the log was truncated after a signed checkpoint`,
    };
  }
  const report: ChainReport = {
    chain,
    records: prev.seq - start.prev.seq,
    checkpoints: checkpoints.length,
    lastSeq: prev.seq,
    prunedThrough: start.prev.seq,
  };
  return { report, problem };
}

/**
 * Where a chain's walk starts: before record 1, or — when its first records are gone — at
 * the signed checkpoint of the record just before the first that remains (of a chain with
 * no records left, its last checkpoint). Whether a prune covers that gap is checked after
 * every chain has been walked (checkPrunedPrefixes).
 */
async function findStart(
  store: Store,
  chain: string,
  checkpointsBySeq: ReadonlyMap<number, CheckpointRow>,
  lastCheckpoint: CheckpointRow | undefined,
  keys: Map<string, KeyObject>,
): Promise<{ prev: { seq: number; hash: string }; problem: AuditProblem | undefined }> {
  const genesis = { seq: 0, hash: GENESIS_HASH };
  const [first] = await store.queryDecisions({ chain, limit: 1 });
  const anchorSeq = first ? first.seq - 1 : (lastCheckpoint?.seq ?? 0);
  if (anchorSeq <= 0) return { prev: genesis, problem: undefined };
  const anchor = checkpointsBySeq.get(anchorSeq);
  // The first bad record is the first one missing: record 1.
  const at = (what: string): AuditProblem => ({ chain, seq: 1, decisionId: undefined, what });
  if (!anchor)
    return {
      prev: genesis,
      problem: at(
        `records 1..${anchorSeq} are missing and no signed checkpoint anchors what follows: records were deleted`,
      ),
    };
  const key = keys.get(anchor.kid);
  if (!key || !verifyCheckpointSignature(anchor, key))
    return {
      prev: genesis,
      problem: at(
        `the checkpoint at record ${anchorSeq}, where the chain now starts, is not signed by a leash key`,
      ),
    };
  return { prev: { seq: anchor.seq, hash: anchor.hash }, problem: undefined };
}

function checkRow(row: DecisionRow, prev: { seq: number; hash: string }): AuditProblem | undefined {
  const at = (what: string): AuditProblem => ({
    chain: row.chain,
    seq: row.seq,
    decisionId: row.decisionId,
    what,
  });
  if (row.seq !== prev.seq + 1)
    return at(
      `expected record ${prev.seq + 1} next but found ${row.seq}: records were deleted or reordered`,
    );
  if (row.prevHash !== prev.hash)
    return at(
      "its prev_hash is not the hash of the record before it: a record was deleted, inserted or reordered",
    );
  if (computeChainHash(row.chain, row.seq, row.prevHash, row.body) !== row.hash)
    return at("its hash does not match its content: the record was edited");
  return undefined;
}

function checkCheckpointAt(
  cp: CheckpointRow | undefined,
  row: DecisionRow,
  keys: Map<string, KeyObject>,
): AuditProblem | undefined {
  if (!cp) return undefined;
  const at = (what: string): AuditProblem => ({
    chain: row.chain,
    seq: row.seq,
    decisionId: row.decisionId,
    what,
  });
  const key = keys.get(cp.kid);
  if (!key || !verifyCheckpointSignature(cp, key))
    return at(`the checkpoint at record ${cp.seq} is not signed by a leash key`);
  if (cp.hash !== row.hash)
    return at(
      `the chain up to record ${cp.seq} differs from what the signed checkpoint recorded: the log was rewritten`,
    );
  return undefined;
}

async function loadPublicKeys(store: Store): Promise<Map<string, KeyObject>> {
  const out = new Map<string, KeyObject>();
  for (const row of await store.listSigningKeys()) {
    out.set(row.kid, createPublicKey({ key: JSON.parse(row.publicJwk), format: "jwk" }));
  }
  return out;
}
