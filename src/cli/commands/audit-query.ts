import { parseDurationSeconds } from "../../config/index.js";
import type { DecisionQuery, DecisionRow, Store } from "../../store/index.js";
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

/** Records a query prints when --limit is not given; an export has no such cap. */
const QUERY_LIMIT = 50;
/** Records read from the store at a time while exporting. */
const EXPORT_PAGE = 5000;

/**
 * `leash audit query` (a table or JSON, the first --limit records, default 50) and `leash audit
 * export --format jsonl` (every matching record, one a line, read page by page).
 */
export async function queryAudit(
  store: Store,
  sub: string,
  f: QueryFlags,
  io: CliIo,
): Promise<number> {
  if (sub === "export" && f.format !== "jsonl") throw new UsageError("export takes --format jsonl");
  const limit = parseLimit(f.limit);
  if (f.decision) {
    const row = await store.getDecision(f.decision);
    if (!row) {
      io.err(`leash: no decision ${f.decision}\n`);
      return EXIT.denied;
    }
    io.out(`${row.body}\n`);
    return EXIT.ok;
  }
  const query = toDecisionQuery(f);
  if (sub === "export") {
    for await (const r of pageDecisions(store, query, limit ?? Number.POSITIVE_INFINITY))
      io.out(`${r.body}\n`);
    return EXIT.ok;
  }
  const rows = await store.queryDecisions({ ...query, limit: limit ?? QUERY_LIMIT });
  if (f.json) {
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

function parseLimit(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--limit ${raw}: give a whole number, 1 or more`);
  return n;
}

/** The filters as a store query, without a limit. */
function toDecisionQuery(f: QueryFlags): DecisionQuery {
  const query: DecisionQuery = {};
  if (f.since) {
    const s = parseDurationSeconds(f.since);
    if (!s) throw new UsageError(`--since ${f.since}: write e.g. 1h, 7d`);
    query.sinceMs = Date.now() - s * 1000;
  }
  if (f.action) query.action = f.action;
  if (f["repository-id"]) query.repositoryId = f["repository-id"];
  if (f.capability) query.capabilityId = f.capability;
  if (f.result) query.result = f.result;
  return query;
}

/**
 * Every record the query matches, chain by chain in sequence, a page at a time, up to `max`:
 * one store read is capped (100,000 rows), and an export that stopped there would look whole.
 */
async function* pageDecisions(
  store: Store,
  query: DecisionQuery,
  max: number,
): AsyncGenerator<DecisionRow> {
  let left = max;
  for (const chain of await store.listChains()) {
    let afterSeq: number | undefined;
    while (left > 0) {
      const limit = Math.min(EXPORT_PAGE, left);
      const rows = await store.queryDecisions({
        ...query,
        chain,
        limit,
        ...(afterSeq === undefined ? {} : { afterSeq }),
      });
      yield* rows;
      left -= rows.length;
      if (rows.length < limit) break;
      afterSeq = rows.at(-1)?.seq;
    }
  }
}
