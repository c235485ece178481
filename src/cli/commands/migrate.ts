import { parseArgs } from "node:util";
import { migrateStore } from "../../store/index.js";
import { type CliIo, EXIT, showHelp, UsageError } from "../cli-io.js";
import { loadCliConfig } from "../find-config.js";

const HELP = `usage: leash migrate [--config FILE] [--json]

Applies the store's pending schema migrations and prints its schema version. leash serve
applies them at start too; run this first to migrate before rolling out new instances.
On PostgreSQL several instances may start at once: migrations run under an advisory lock,
each exactly once, recorded in the leash_migrations table.
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { config: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean" } },
  });
  if (values.help) return showHelp(io, HELP);
  if (positionals.length > 0)
    throw new UsageError(`unexpected argument ${positionals[0]}\n\n${HELP}`);
  const config = loadCliConfig(values.config, io);
  const report = await migrateStore(config.store);
  if (values.json) {
    io.out(
      `${JSON.stringify({ store: report.kind, version: report.version, applied: report.applied })}\n`,
    );
  } else {
    const applied = report.applied.length
      ? `applied ${report.applied.join(", ")}`
      : "nothing to apply";
    io.out(`${report.kind} store at schema version ${report.version} (${applied})\n`);
  }
  return EXIT.ok;
}
