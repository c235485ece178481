import { toAttestationRow } from "./sql-rows.js";
import type { EvidenceRows } from "./store.js";

/**
 * Merges the two parts of an evidence query (each row tagged `part`: 0 about the subjects,
 * 1 of the kinds) into rows newest first, without duplicates. Part 0 is queried for one
 * row more than `limit`: getting it means rows about the subjects exist beyond the limit,
 * so the answer is `truncated`. Both stores share this so they answer the contract alike.
 */
export function toEvidenceRows(raw: readonly unknown[], limit: number): EvidenceRows {
  const about = raw.filter((r) => Number((r as Record<string, unknown>)["part"]) === 0);
  const truncated = about.length > limit;
  const rows = new Map<string, ReturnType<typeof toAttestationRow>>();
  for (const r of raw) {
    const row = toAttestationRow(r);
    if (!rows.has(row.id)) rows.set(row.id, row);
  }
  const sorted = [...rows.values()].sort((a, b) => b.createdMs - a.createdMs);
  return { rows: sorted, truncated };
}
