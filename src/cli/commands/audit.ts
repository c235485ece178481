import { parseArgs } from "node:util";
import { openStore } from "../../store/index.js";
import { type CliIo, EXIT, showHelp, UsageError } from "../cli-io.js";
import { loadCliConfig } from "../find-config.js";
import { anchorAudit, verifyWithAnchors } from "./audit-anchor.js";

const HELP = `usage: leash audit verify [--anchor FILE]... [--config FILE] [--json]
       leash audit anchor [--out FILE] [--config FILE]
       leash audit query [--since 1h] [--decision ID] [--action A] [--repository-id ID]
                         [--capability ID] [--result allow|deny|error] [--limit N] [--config FILE] [--json]
       leash audit export --format jsonl [--since 1h] [the query filters] [--limit N] [--config FILE]
       leash audit prune --before 90d (--export FILE | --no-export) [--config FILE] [--json]

verify checks the hash chain and the signed checkpoints and names the first bad record
(exit 0 intact, 1 tampered); with --anchor, also that nothing the anchor covered was cut off
or rewritten since.
query prints the first --limit matching records (default 50), chain by chain in sequence;
export writes every matching record, one JSON line each (--limit N: the first N).
anchor writes every chain's newest signed checkpoint, with the keys that signed it, to FILE
(never overwritten) or stdout: keep it where leash's store can't be written from.
prune removes each chain's records up to its last signed checkpoint older than --before,
after checking the whole log and writing what goes to FILE; the prune is itself recorded,
and verify then starts each pruned chain at that checkpoint (exit 1: the log does not verify,
nothing pruned).
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      config: { type: "string" },
      json: { type: "boolean" },
      since: { type: "string" },
      decision: { type: "string" },
      action: { type: "string" },
      "repository-id": { type: "string" },
      capability: { type: "string" },
      result: { type: "string" },
      limit: { type: "string" },
      format: { type: "string" },
      before: { type: "string" },
      export: { type: "string" },
      "no-export": { type: "boolean" },
      anchor: { type: "string", multiple: true },
      out: { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return showHelp(io, HELP);
  const sub = positionals[0];
  if (!sub || !["verify", "anchor", "query", "export", "prune"].includes(sub))
    throw new UsageError(HELP);
  const config = loadCliConfig(values.config, io);
  const store = await openStore(config.store);
  try {
    if (sub === "verify") return await verify(store, values.anchor ?? [], values.json === true, io);
    if (sub === "anchor") return await anchorAudit(store, values, io);
    if (sub === "prune") {
      const { pruneAudit } = await import("./audit-prune.js");
      return await pruneAudit(config, store, values, io);
    }
    const { queryAudit } = await import("./audit-query.js");
    return await queryAudit(store, sub, values, io);
  } finally {
    await store.close();
  }
}

async function verify(
  store: Awaited<ReturnType<typeof openStore>>,
  anchors: readonly string[],
  json: boolean,
  io: CliIo,
): Promise<number> {
  const { verification: result, anchored } = await verifyWithAnchors(store, anchors, io);
  if (json) io.out(`${JSON.stringify({ ...result, anchored })}\n`);
  else {
    for (const c of result.chains) {
      const pruned =
        c.prunedThrough > 0 ? ` (from record ${c.prunedThrough + 1}: pruned before)` : "";
      io.out(`chain ${c.chain}: ${c.records} records${pruned}, ${c.checkpoints} checkpoints\n`);
    }
    if (result.problem) {
      const p = result.problem;
      io.out(
        `TAMPERED: chain ${p.chain}, record ${p.seq}${p.decisionId ? ` (${p.decisionId})` : ""}: ${p.what}\n`,
      );
    } else {
      const against = anchors.length > 0 ? ` (and matches ${anchored} anchored checkpoints)` : "";
      io.out(`audit log intact${against}\n`);
    }
  }
  return result.ok ? EXIT.ok : EXIT.denied;
}
