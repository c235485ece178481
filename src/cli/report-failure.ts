import { LeashError } from "../errors/index.js";
import { type CliIo, EXIT, UsageError } from "./cli-io.js";

/** Prints why a command failed and returns its exit code: 2 usage/config, 1 refused, 3 internal. */
export function reportFailure(err: unknown, io: CliIo): number {
  if (
    err instanceof UsageError ||
    (err instanceof TypeError && "code" in err && String(err.code).startsWith("ERR_PARSE_ARGS"))
  ) {
    io.err(`leash: ${err.message}\n`);
    return EXIT.usage;
  }
  if (err instanceof LeashError) {
    io.err(`leash: ${err.code}: ${err.message}\n`);
    return err.code.startsWith("ERR_CONFIG") || err.code.startsWith("ERR_SEALING")
      ? EXIT.usage
      : err.status >= 500
        ? EXIT.internal
        : EXIT.denied;
  }
  io.err(`leash: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
  return EXIT.internal;
}
