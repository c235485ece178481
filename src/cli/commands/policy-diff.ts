import { parseDurationSeconds } from "../../config/index.js";
import { openStore } from "../../store/index.js";
import { type CliIo, EXIT, UsageError } from "../cli-io.js";
import { loadCliConfig } from "../find-config.js";

interface Disagreement {
  action: string;
  direction: string;
  decision_id: string;
  resource: unknown;
}

/**
 * Reads authorize records that carry a shadow result and summarizes where the candidate set
 * disagreed, by action and direction ("allow→deny" means the candidate would newly deny).
 */
export async function diffShadow(
  opts: { config: string | undefined; since: string | undefined; json: boolean },
  io: CliIo,
): Promise<number> {
  const seconds = opts.since ? parseDurationSeconds(opts.since) : 7 * 86400;
  if (!seconds) throw new UsageError(`--since ${opts.since}: write e.g. 1h, 7d`);
  const store = await openStore(loadCliConfig(opts.config, io).store);
  try {
    const rows = await store.queryDecisions({
      type: "authorize",
      sinceMs: Date.now() - seconds * 1000,
      limit: 100_000,
    });
    let compared = 0;
    const found: Disagreement[] = [];
    for (const row of rows) {
      const r = JSON.parse(row.body) as {
        shadow?: { decision: string; disagrees: boolean };
        result: string;
        action: string;
        resource: unknown;
        decision_id: string;
        would_deny?: boolean;
      };
      if (!r.shadow) continue;
      compared++;
      const active = r.would_deny ? "deny" : r.result;
      if (r.shadow.decision !== active)
        found.push({
          action: r.action,
          direction: `${active}→${r.shadow.decision}`,
          decision_id: r.decision_id,
          resource: r.resource,
        });
    }
    const counts: Record<string, number> = {};
    for (const d of found)
      counts[`${d.action} ${d.direction}`] = (counts[`${d.action} ${d.direction}`] ?? 0) + 1;
    if (opts.json)
      io.out(
        `${JSON.stringify({ compared, disagreements: found.length, counts, examples: found.slice(0, 10) })}\n`,
      );
    else {
      io.out(`${compared} decisions compared with the shadow set, ${found.length} disagreements\n`);
      for (const [k, n] of Object.entries(counts)) io.out(`  ${String(n).padStart(6)}  ${k}\n`);
      for (const d of found.slice(0, 5))
        io.out(
          `  e.g. ${d.decision_id} ${d.action} ${JSON.stringify(d.resource)} ${d.direction}\n`,
        );
    }
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
