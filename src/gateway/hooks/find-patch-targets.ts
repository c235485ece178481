import { posix } from "node:path";
import type { ShellWord } from "./parse-shell-command.js";
import {
  compileOptionSpec,
  hasOption,
  lastValue,
  readCommandOptions,
} from "./read-command-options.js";
import { readDiffPaths } from "./read-diff-paths.js";
import type { Stdin } from "./read-stdin.js";
import { toPathIn, toUnknownTarget, toWord, type WriteWord } from "./write-word.js";

const PATCH = compileOptionSpec("B:D:d:F:g:i:o:p:r:V:Y:z:", {
  prefix: "B:",
  "basename-prefix": "Y:",
  suffix: "z:",
  directory: "d:",
  input: "i:",
  output: "o:",
  strip: "p:",
  "reject-file": "r:",
  "version-control": "V:",
  ifdef: "D:",
  fuzz: "F:",
  get: "g:",
  "dry-run": "",
  check: "dry-run",
  "quoting-style": ":",
  "read-only": ":",
  "reject-format": ":",
  merge: "::",
});

/**
 * `patch`: `-o FILE`, else the file operand, else the files its diff names — read when the
 * diff is on the command line (a heredoc, or `cat <<EOF`/`echo` piped in), unknown when it
 * comes from a file or a command. `-d DIR` is where it runs; `--dry-run` writes nothing.
 */
export function findPatchTargets(args: ShellWord[], stdin: Stdin): WriteWord[] {
  const { options, operands } = readCommandOptions(args, PATCH);
  if (hasOption(options, "dry-run")) return [];
  const dir = lastValue(options, "d");
  const out: WriteWord[] = [];
  const reject = lastValue(options, "r");
  if (reject && reject.text !== "-") out.push(toPathIn(dir, reject));
  // Backups are written beside each file, unless a prefix or a suffix with a `/` moves them.
  const suffix = lastValue(options, "z");
  if (hasOption(options, "B", "Y") || suffix?.dynamic || suffix?.text.includes("/"))
    out.push(toUnknownTarget("(where patch puts its backups)"));
  const output = lastValue(options, "o");
  if (output) return output.text === "-" && !output.dynamic ? out : [...out, toPathIn(dir, output)];
  if (operands[0]) return [...out, toPathIn(dir, operands[0])];
  const diff: Stdin = hasOption(options, "i") ? { kind: "file" } : stdin;
  return [...out, ...findDiffTargets(diff, lastValue(options, "p"), dir, "patch")];
}

/**
 * The files a diff on stdin names, in `dir`: `-pN` strips N leading components (patch
 * without `-p` may use the whole name or its base name: both count). Unknown unless the
 * diff is literal on the command line.
 */
export function findDiffTargets(
  stdin: Stdin,
  strip: ShellWord | undefined,
  dir: ShellWord | undefined,
  tool: string,
): WriteWord[] {
  const unknown = [toUnknownTarget(`(the files the diff ${tool} reads names)`)];
  if (stdin.kind !== "text" || stdin.text.dynamic) return unknown;
  if (strip && (strip.dynamic || !/^\d+$/.test(strip.text))) return unknown;
  const paths = readDiffPaths(stdin.text.text);
  if (paths === null) return unknown;
  const n = strip === undefined ? undefined : Number(strip.text);
  const names = [...paths.prefixed.flatMap((p) => stripped(p, n)), ...paths.exact];
  return [...new Set(names)].map((name) => toPathIn(dir, toWord(name)));
}

function stripped(name: string, n: number | undefined): string[] {
  if (n === undefined) return [name, posix.basename(name)];
  const parts = name.split(/\/+/);
  return parts.length > n ? [parts.slice(n).join("/")] : [];
}
