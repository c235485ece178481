import { parseArgs } from "node:util";
import { createKeyRing } from "../../capability/index.js";
import { systemClock } from "../../clock/index.js";
import { loadMasterKey } from "../../sealing/index.js";
import { openStore } from "../../store/index.js";
import { type CliIo, EXIT, showHelp, UsageError } from "../cli-io.js";
import { loadCliConfig } from "../find-config.js";
import { recordAdminAction } from "../record-admin-action.js";

const HELP = `usage: leash keys (list|rotate) [--config FILE] [--json]

rotate makes a new signing key current. The previous key stays in the JWKS, and keeps
verifying, until every capability it signed has expired. Running servers pick the new key
up from the store. The rotation is recorded in the decision log (type admin, on the chain
<instance_id>-cli).
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { config: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean" } },
  });
  if (values.help) return showHelp(io, HELP);
  const sub = positionals[0];
  if (sub !== "list" && sub !== "rotate")
    throw new UsageError(`expected: leash keys list|rotate\n\n${HELP}`);
  const config = loadCliConfig(values.config, io);
  const store = await openStore(config.store);
  try {
    const kek = loadMasterKey({ envValue: io.env["LEASH_MASTER_KEY"], stateDir: config.stateDir });
    const ring = createKeyRing({ store, kek, clock: systemClock });
    await ring.load();
    if (sub === "rotate") {
      const previous = ring.current().kid;
      const key = await ring.rotate();
      const decisionId = await recordAdminAction({
        config,
        store,
        ring,
        clock: systemClock,
        action: "keys.rotate",
        detail: { kid: key.kid, previous_kid: previous },
      });
      io.out(
        values.json
          ? `${JSON.stringify({ rotated: true, kid: key.kid, decision_id: decisionId })}\n`
          : `new signing key ${key.kid} (recorded as ${decisionId})\n`,
      );
      return EXIT.ok;
    }
    const rows = (await store.listSigningKeys()).map((r) => ({
      kid: r.kid,
      alg: r.alg,
      created_at: new Date(r.createdMs).toISOString(),
      retired_at: r.retiredMs ? new Date(r.retiredMs).toISOString() : null,
    }));
    io.out(
      values.json
        ? `${JSON.stringify({ keys: rows })}\n`
        : rows
            .map(
              (r) =>
                `${r.kid}  ${r.alg}  created ${r.created_at}${r.retired_at ? `  retired ${r.retired_at}` : "  current"}\n`,
            )
            .join(""),
    );
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
