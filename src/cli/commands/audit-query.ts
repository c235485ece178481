import { parseDurationSeconds } from "../../config/index.js";
import type { DecisionQuery, Store } from "../../store/index.js";
import { type CliIo, EXIT, UsageError } from "../cli-io.js";

interface QueryFlags {
  since?: string | undefined;
  decision?: string | undefined;
  action?: string | undefined;
  "repository-id"?: string | undefined;
  capability?: string | undefined;
  result?: string | undefined;
  limit?: string | undefined;
  format?: string | undefined;
  json?: boolean | undefined;
}

/** `leash audit query` (a table or JSON) and `leash audit export --format jsonl` (one record a line). */
export async function queryAudit(
  store: Store,
  sub: string,
  f: QueryFlags,
  io: CliIo,
): Promise<number> {
  if (sub === "export" && f.format !== "jsonl") throw new UsageError("export takes --format jsonl");
  if (f.decision) {
    const row = await store.getDecision(f.decision);
    if (!row) {
      io.err(`leash: no decision ${f.decision}\n`);
      return EXIT.denied;
    }
    io.out(`${row.body}\n`);
    return EXIT.ok;
  }
  const query: DecisionQuery = {
    limit: f.limit ? Number(f.limit) : sub === "export" ? 100_000 : 50,
  };
  if (f.since) {
    const s = parseDurationSeconds(f.since);
    if (!s) throw new UsageError(`--since ${f.since}: write e.g. 1h, 7d`);
    query.sinceMs = Date.now() - s * 1000;
  }
  if (f.action) query.action = f.action;
  if (f["repository-id"]) query.repositoryId = f["repository-id"];
  if (f.capability) query.capabilityId = f.capability;
  if (f.result) query.result = f.result;
  const rows = await store.queryDecisions(query);
  if (sub === "export" || f.json) {
    for (const r of rows) io.out(`${r.body}\n`);
    return EXIT.ok;
  }
  for (const r of rows) {
    io.out(
      `${new Date(r.timeMs).toISOString()}  ${r.decisionId}  ${r.type.padEnd(9)}  ${r.result.padEnd(5)}  ${r.action ?? "-"}  ${r.capabilityId ?? ""}\n`,
    );
  }
  return EXIT.ok;
}
