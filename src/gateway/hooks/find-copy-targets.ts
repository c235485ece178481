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

// Every long option of GNU coreutils 9 (`--help`), so an option's value is never read as a
// path and an option leash doesn't know makes the reading unsure (below).
const SPECS: Record<string, OptionSpec> = {
  cp: compileOptionSpec(
    "S:t:",
    {},
    `
  archive=a attributes-only backup:: context:: copy-contents dereference=L force=f help
  interactive=i link=l no-clobber=n no-dereference=P no-preserve: no-target-directory=T
  one-file-system=x parents preserve:: recursive=R reflink:: remove-destination sparse:
  strip-trailing-slashes suffix=S: symbolic-link=s target-directory=t: update=u verbose=v
  version
`,
  ),
  mv: compileOptionSpec(
    "S:t:",
    {},
    `
  backup:: context=Z force=f help interactive=i no-clobber=n no-target-directory=T
  strip-trailing-slashes suffix=S: target-directory=t: update=u verbose=v version
`,
  ),
  install: compileOptionSpec(
    "S:g:m:o:t:",
    {},
    `
  backup:: compare=C context:: directory=d group=g: help mode=m: no-target-directory=T
  owner=o: preserve-context preserve-timestamps=p strip=s strip-program: suffix=S:
  target-directory=t: verbose=v version
`,
  ),
  ln: compileOptionSpec(
    "S:t:",
    {},
    `
  backup:: directory=d force=f help interactive=i logical=L no-dereference=n
  no-target-directory=T physical=P relative=r suffix=S: symbolic=s target-directory=t:
  verbose=v version
`,
  ),
  rsync: RSYNC,
};
export const COPIES: ReadonlySet<string> = new Set(Object.keys(SPECS));
const MOVES = new Set(["mv", "git mv"]);

/**
 * `cp`/`mv`/`install`/`ln`/`rsync`: the destination, and where each source lands in it
 * (`cp x.yml .github/workflows` writes `.github/workflows/x.yml`). A destination that may
 * not exist becomes a copy of the source: a whole tree. `-t DIR` names the directory; `-T`
 * writes the destination itself. A move (`mv`, `git mv`) also removes its sources.
 */
export function findCopyTargets(
  bin: string,
  args: ShellWord[],
  spec = SPECS[bin] as OptionSpec,
): WriteWord[] {
  const { options, operands, unsure } = readCommandOptions(args, spec);
  // An option leash doesn't know may have taken the next word: any operand may be the target.
  if (unsure)
    return [...operands, ...options.flatMap((o) => (o.value ? [o.value] : []))].map((w) => ({
      ...w,
      tree: true,
    }));
  const given = bin === "rsync" ? undefined : lastValue(options, "t");
  const noDir = bin !== "rsync" && hasOption(options, "T");
  const logs = bin === "rsync" ? rsyncLogs(options) : [];
  if (bin === "install" && hasOption(options, "d")) return operands;
  const dir = given ?? operands.at(-1);
  const sources = given ? operands : operands.slice(0, -1);
  if (dir === undefined || sources.length === 0) return logs;
  // A move removes its sources: moving a workflow away changes it too.
  const moved = MOVES.has(bin) ? sources.map((s) => ({ ...s, tree: true })) : [];
  // `-T`: the destination itself is written (`cp -T x .github/workflows/a.yml`).
  if (noDir) return [{ ...dir, tree: true }, ...moved, ...logs];
  // `D/`, `.`, `..` and `-t D` name a directory that exists: only what lands in it is new.
  const exists = given !== undefined || /(^|\/)\.{0,2}\/?$/.test(dir.text);
  const into = sources.map((s) => landing(dir, s));
  return [...(exists ? into : [{ ...dir, tree: true }, ...into]), ...moved, ...logs];
}

/** rsync's own files: the log, a batch (FILE and FILE.sh), and the directory replaced files are backed up into. */
function rsyncLogs(options: GivenOption[]): WriteWord[] {
  const log = lastValue(options, "log-file");
  const batch = lastValue(options, "write-batch", "only-write-batch");
  const backups = lastValue(options, "backup-dir");
  return [
    ...(log ? [log] : []),
    ...(batch ? [batch, { ...batch, text: `${batch.text}.sh` }] : []),
    ...(backups ? [{ ...backups, tree: true }] : []),
  ];
}

function landing(dir: ShellWord, source: ShellWord): WriteWord {
  // A source named through a variable lands as some name: `*`, a pattern.
  const base = source.dynamic ? "*" : posix.basename(source.text);
  const text = `${dir.text.replace(/\/+$/, "") || "/"}/${base}`;
  const glob = dir.glob === true || source.dynamic || source.glob === true;
  return { text, dynamic: dir.dynamic, tree: true, ...(glob ? { glob } : {}) };
}
