import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import {
  type ChainReport,
  PRUNE_ACTION,
  toCheckpointJson,
  verifyAuditLog,
} from "../../audit/index.js";
import { createKeyRing } from "../../capability/index.js";
import { systemClock } from "../../clock/index.js";
import { type LeashConfig, parseDurationSeconds } from "../../config/index.js";
import { loadMasterKey } from "../../sealing/index.js";
import type { Store } from "../../store/index.js";
import { type CliIo, EXIT, UsageError } from "../cli-io.js";
import { recordAdminAction } from "../record-admin-action.js";
import { writeNewFile } from "../write-new-file.js";

export interface PruneFlags {
  before?: string | undefined;
  export?: string | undefined;
  "no-export"?: boolean | undefined;
  json?: boolean | undefined;
}

/** What one chain loses: records from..through, anchored afterwards at `through`'s checkpoint. */
interface PrunePlan {
  chain: string;
  fromSeq: number;
  throughSeq: number;
}

const PAGE = 5000;

/**
 * `leash audit prune --before AGE (--export FILE | --no-export)`: removes each chain's records
 * up to its newest signed checkpoint older than AGE, so the log stops growing without end.
 * In this order, so that no step can leave a gap nobody accounted for:
 *  1. the whole log must verify (a prune never destroys the evidence of tampering);
 *  2. the records and checkpoints to go are written to FILE (fsynced), with its SHA-256;
 *  3. the prune is recorded (an admin record on `<instance_id>-cli`, checkpointed at once)
 *     with every pruned chain's anchor: what lets `leash audit verify` start a chain there;
 *  4. each chain's prefix is deleted in one transaction, keeping the anchoring checkpoint.
 */
export async function pruneAudit(
  config: LeashConfig,
  store: Store,
  flags: PruneFlags,
  io: CliIo,
): Promise<number> {
  const seconds = flags.before ? parseDurationSeconds(flags.before) : undefined;
  if (!seconds) throw new UsageError("--before AGE is required, e.g. --before 90d");
  if ((flags.export === undefined) === (flags["no-export"] !== true))
    throw new UsageError(
      "give --export FILE (the pruned records are written there first) or --no-export",
    );
  const exportPath = flags.export === undefined ? undefined : resolve(io.cwd, flags.export);
  // Checked before any work too; writeNewFile refuses it again if one appears meanwhile.
  if (exportPath && existsSync(exportPath))
    throw new UsageError(`--export ${flags.export}: the file exists; a prune never overwrites one`);
  const cutoffMs = systemClock.now() - seconds * 1000;
  const kek = loadMasterKey({ envValue: io.env["LEASH_MASTER_KEY"], stateDir: config.stateDir });
  const ring = createKeyRing({ store, kek, clock: systemClock });
  await ring.load();

  const verification = await verifyAuditLog(store);
  if (!verification.ok) {
    const p = verification.problem;
    io.err(
      `leash: refusing to prune: the log does not verify (chain ${p?.chain}, record ${p?.seq}: ${p?.what}); run leash audit verify and investigate first\n`,
    );
    return EXIT.denied;
  }
  const plans = await planPrune(store, verification.chains, cutoffMs);
  const before = new Date(cutoffMs).toISOString();
  if (plans.length === 0) {
    io.out(
      flags.json
        ? `${JSON.stringify({ pruned: [], records: 0, before })}\n`
        : `nothing to prune: no chain has a signed checkpoint before ${before}\n`,
    );
    return EXIT.ok;
  }
  const exported = exportPath
    ? await exportPrefixes(store, plans, exportPath, flags.export as string)
    : undefined;
  const anchors: Record<string, number> = {};
  for (const c of verification.chains) if (c.prunedThrough > 0) anchors[c.chain] = c.prunedThrough;
  for (const p of plans) anchors[p.chain] = p.throughSeq;
  const pruned = plans.map((p) => ({
    chain: p.chain,
    through_seq: p.throughSeq,
    records: p.throughSeq - p.fromSeq + 1,
  }));
  const decisionId = await recordAdminAction({
    config,
    store,
    ring,
    clock: systemClock,
    action: PRUNE_ACTION,
    detail: { before, anchors, pruned, export: exported ?? null },
  });
  let records = 0;
  for (const p of plans) records += (await store.pruneChain(p.chain, p.throughSeq)).decisions;
  io.out(
    flags.json
      ? `${JSON.stringify({ pruned, records, before, export: exported ?? null, decision_id: decisionId })}\n`
      : `pruned ${records} record(s) from ${plans.length} chain(s), each up to its last signed checkpoint before ${before} (recorded as ${decisionId})${exported ? `; exported to ${exported.path}, sha256 ${exported.sha256}` : ""}\n`,
  );
  return EXIT.ok;
}

/** Per chain: up to its newest checkpoint signed before the cutoff, if that is past its anchor. */
async function planPrune(
  store: Store,
  chains: readonly ChainReport[],
  cutoffMs: number,
): Promise<PrunePlan[]> {
  const plans: PrunePlan[] = [];
  for (const c of chains) {
    const checkpoints = await store.listCheckpoints(c.chain);
    const anchor = checkpoints.filter((cp) => cp.timeMs < cutoffMs).at(-1);
    if (anchor && anchor.seq > c.prunedThrough)
      plans.push({ chain: c.chain, fromSeq: c.prunedThrough + 1, throughSeq: anchor.seq });
  }
  return plans;
}

/**
 * Writes what a prune removes as JSON lines — each record with its chain, seq, hashes and
 * exact body (what its hash was computed over), then the chain's checkpoints up to the
 * anchor — fsyncs the file and returns its SHA-256, so the archive can be checked later.
 */
async function exportPrefixes(
  store: Store,
  plans: readonly PrunePlan[],
  path: string,
  shown: string,
): Promise<{ path: string; sha256: string; records: number }> {
  const hash = createHash("sha256");
  let records = 0;
  const messages = {
    exists: `--export ${shown}: the file exists; a prune never overwrites one`,
    cannotCreate: `--export ${shown}: the file can't be created`,
  };
  await writeNewFile(path, 0o600, messages, async (writeText) => {
    const write = (value: unknown) => {
      const line = `${JSON.stringify(value)}\n`;
      hash.update(line);
      writeText(line);
    };
    for (const p of plans) {
      for (let after = p.fromSeq - 1; after < p.throughSeq; ) {
        const rows = await store.queryDecisions({ chain: p.chain, afterSeq: after, limit: PAGE });
        for (const r of rows) {
          if (r.seq > p.throughSeq) break;
          write({ chain: r.chain, seq: r.seq, prev_hash: r.prevHash, hash: r.hash, body: r.body });
          records++;
        }
        if (rows.length < PAGE) break;
        after = rows.at(-1)?.seq ?? p.throughSeq;
      }
      for (const cp of await store.listCheckpoints(p.chain)) {
        if (cp.seq <= p.throughSeq) write({ checkpoint: toCheckpointJson(cp) });
      }
    }
  });
  return { path, sha256: hash.digest("hex"), records };
}
