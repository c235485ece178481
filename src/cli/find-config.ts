import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { type LeashConfig, loadConfig } from "../config/index.js";
import type { CliIo } from "./cli-io.js";
import { UsageError } from "./cli-io.js";

/** `--config FILE`, else `LEASH_CONFIG`, else ./leash.yaml. */
export function findConfigPath(flag: string | undefined, io: CliIo): string {
  const path = flag ?? io.env["LEASH_CONFIG"] ?? "leash.yaml";
  const abs = resolve(io.cwd, path);
  if (!flag && !io.env["LEASH_CONFIG"] && !existsSync(abs)) {
    throw new UsageError(
      "no config: pass --config FILE (e.g. --config examples/leash.yaml) or set LEASH_CONFIG",
    );
  }
  return abs;
}

export function loadCliConfig(flag: string | undefined, io: CliIo): LeashConfig {
  return loadConfig(findConfigPath(flag, io));
}
