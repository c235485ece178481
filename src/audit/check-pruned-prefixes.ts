import type { Store } from "../store/index.js";
import type { AuditProblem } from "./verify-audit-log.js";

/** The action of the admin record `leash audit prune` writes before it deletes anything. */
export const PRUNE_ACTION = "audit.prune";

/** A chain whose records 1..throughSeq are gone, its walk anchored at that checkpoint. */
export interface PrunedPrefix {
  chain: string;
  throughSeq: number;
}

/**
 * A chain may start after record 1 only where a prune says so: an admin record of action
 * `audit.prune` whose `detail.anchors` names the chain at that seq or beyond. Each prune
 * record states the anchors of every pruned chain after it ran, so the newest one suffices
 * even once older prune records are pruned in turn. A prune record counts only when a signed
 * checkpoint of its own chain covers it: records after a chain's last checkpoint can be
 * appended by anyone who can write the database, a forged prune among them. Run after every
 * chain has verified, so each prune record read here is one leash wrote.
 */
export async function checkPrunedPrefixes(
  store: Store,
  pruned: readonly PrunedPrefix[],
  lastCheckpoint: ReadonlyMap<string, number>,
): Promise<AuditProblem | undefined> {
  if (pruned.length === 0) return undefined;
  const allowed = new Map<string, number>();
  const rows = await store.queryDecisions({ type: "admin", action: PRUNE_ACTION, limit: 100_000 });
  for (const row of rows) {
    if (row.seq > (lastCheckpoint.get(row.chain) ?? 0)) continue;
    const anchors = (JSON.parse(row.body) as { detail?: { anchors?: unknown } }).detail?.anchors;
    if (typeof anchors !== "object" || anchors === null) continue;
    for (const [chain, seq] of Object.entries(anchors)) {
      if (typeof seq === "number" && seq > (allowed.get(chain) ?? 0)) allowed.set(chain, seq);
    }
  }
  for (const p of pruned) {
    if ((allowed.get(p.chain) ?? 0) >= p.throughSeq) continue;
    return {
      chain: p.chain,
      seq: 1,
      decisionId: undefined,
      what: `records 1..${p.throughSeq} are gone and no recorded audit prune covers them: they were deleted`,
    };
  }
  return undefined;
}
