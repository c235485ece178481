import { posix } from "node:path";
import { RSYNC } from "./network-client-options.js";
import type { ShellWord } from "./parse-shell-command.js";
import {
  compileOptionSpec,
  type GivenOption,
  hasOption,
  lastValue,
  type OptionSpec,
  readCommandOptions,
} from "./read-command-options.js";
import type { WriteWord } from "./write-word.js";

/** `cp`, `mv`, `install`, `ln`: `-t DIR`, `-T`; `install` also `-d` and its value options. */
const COREUTILS = compileOptionSpec("t:S:m:o:g:", {
  "target-directory": "t:",
  "no-target-directory": "T",
  suffix: "S:",
  directory: "d",
  mode: "m:",
  owner: "o:",
  group: "g:",
});
const SPECS: Record<string, OptionSpec> = {
  cp: COREUTILS,
  mv: COREUTILS,
  install: COREUTILS,
  ln: COREUTILS,
  rsync: RSYNC,
};
export const COPIES: ReadonlySet<string> = new Set(Object.keys(SPECS));

/**
 * `cp`/`mv`/`install`/`ln`/`rsync`: the destination, and where each source lands in it
 * (`cp x.yml .github/workflows` writes `.github/workflows/x.yml`). A destination that may
 * not exist becomes a copy of the source: a whole tree. `-t DIR` names the directory.
 */
export function findCopyTargets(bin: string, args: ShellWord[]): WriteWord[] {
  const { options, operands } = readCommandOptions(args, SPECS[bin] ?? COREUTILS);
  const given = bin === "rsync" ? undefined : lastValue(options, "t");
  const noDir = bin !== "rsync" && hasOption(options, "T");
  const logs = bin === "rsync" ? rsyncLogs(options) : [];
  if (bin === "install" && hasOption(options, "d")) return operands;
  const dir = given ?? (noDir ? undefined : operands.at(-1));
  const sources = given ? operands : operands.slice(0, -1);
  if (dir === undefined || sources.length === 0) return logs;
  if (noDir) return [{ ...dir, tree: true }, ...logs];
  // `D/`, `.`, `..` and `-t D` name a directory that exists: only what lands in it is new.
  const exists = given !== undefined || /(^|\/)\.{0,2}\/?$/.test(dir.text);
  const into = sources.map((s) => landing(dir, s));
  return [...(exists ? into : [{ ...dir, tree: true }, ...into]), ...logs];
}

/** rsync's own files: the log, and the directory replaced files are backed up into. */
function rsyncLogs(options: GivenOption[]): WriteWord[] {
  const log = lastValue(options, "log-file");
  const backups = lastValue(options, "backup-dir");
  return [...(log ? [log] : []), ...(backups ? [{ ...backups, tree: true }] : [])];
}

function landing(dir: ShellWord, source: ShellWord): WriteWord {
  // A source named through a variable lands as some name: `*`, a pattern.
  const base = source.dynamic ? "*" : posix.basename(source.text);
  const text = `${dir.text.replace(/\/+$/, "") || "/"}/${base}`;
  const glob = dir.glob === true || source.dynamic || source.glob === true;
  return { text, dynamic: dir.dynamic, tree: true, ...(glob ? { glob } : {}) };
}
