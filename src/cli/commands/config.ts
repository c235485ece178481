import { parseArgs } from "node:util";
import { loadConfig } from "../../config/index.js";
import { LeashError } from "../../errors/index.js";
import { type CliIo, EXIT, showHelp, UsageError } from "../cli-io.js";

const HELP = `usage: leash config check FILE [--json]

Validates a leash.yaml without serving: exit 0 when valid, 2 with every problem named by key path.
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: "boolean" }, help: { type: "boolean" } },
  });
  if (values.help) return showHelp(io, HELP);
  const [sub, file] = positionals;
  if (sub !== "check" || !file)
    throw new UsageError(`expected: leash config check FILE\n\n${HELP}`);
  try {
    const config = loadConfig(file);
    const summary = {
      valid: true,
      file: config.file,
      issuers: config.issuers.length,
      trust_rules: config.trust.length,
      store: config.store.kind,
    };
    io.out(
      values.json
        ? `${JSON.stringify(summary)}\n`
        : `${config.file}: valid (${config.issuers.length} issuers, ${config.trust.length} trust rules, ${config.store.kind} store)\n`,
    );
    return EXIT.ok;
  } catch (err) {
    if (!(err instanceof LeashError)) throw err;
    if (values.json)
      io.out(
        `${JSON.stringify({ valid: false, code: err.code, problems: err.detail?.["problems"] ?? [], message: err.message })}\n`,
      );
    else io.err(`${err.message}\n`);
    return EXIT.usage;
  }
}
