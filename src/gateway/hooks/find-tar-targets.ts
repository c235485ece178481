import type { ShellWord } from "./parse-shell-command.js";
import {
  compileOptionSpec,
  type GivenOption,
  hasOption,
  lastValue,
  readCommandOptions,
} from "./read-command-options.js";
import { toPathIn, toUnknownTarget, toWord, type WriteWord } from "./write-word.js";

/** GNU tar (and bsdtar): operations, and the options that take a value. */
const TAR = compileOptionSpec("b:C:f:F:g:H:I:K:L:N:T:V:X:", {
  extract: "x",
  get: "x",
  create: "c",
  append: "r",
  update: "u",
  catenate: "A",
  concatenate: "A",
  delete: "",
  list: "t",
  diff: "d",
  compare: "d",
  "to-stdout": "O",
  "to-command": ":",
  "absolute-names": "P",
  "remove-files": "",
  wildcards: "",
  "one-top-level": "::",
  "strip-components": ":",
  transform: ":",
  xform: "transform:",
  "checkpoint-action": ":",
  file: "f:",
  directory: "C:",
  "files-from": "T:",
  "exclude-from": "X:",
  exclude: ":",
  "exclude-tag": ":",
  "exclude-tag-all": ":",
  "exclude-tag-under": ":",
  "listed-incremental": "g:",
  "index-file": ":",
  "use-compress-program": "I:",
  format: "H:",
  "info-script": "F:",
  "new-volume-script": "F:",
  "starting-file": "K:",
  "tape-length": "L:",
  newer: "N:",
  "after-date": "N:",
  "newer-mtime": ":",
  label: "V:",
  "blocking-factor": "b:",
  "record-size": ":",
  owner: ":",
  group: ":",
  mode: ":",
  mtime: ":",
  suffix: ":",
  "rmt-command": ":",
  "rsh-command": ":",
  "volno-file": ":",
  "pax-option": ":",
  sort: ":",
  "quoting-style": ":",
  warning: ":",
});
/** Operations that write the archive `-f` names. */
const WRITES_ARCHIVE = ["c", "r", "u", "A", "delete"];

/**
 * `tar`: an extract (`-x`, `--extract`, `xzf …`) writes a tree into each `-C DIR` (or the
 * cwd), or the members it names there; create, append, update and delete write the `-f`
 * archive (and `--remove-files` removes what went in). Names tar can't be read for —
 * `--to-command`, `-P` (absolute names), a `--checkpoint-action=exec` — are unknown.
 */
export function findTarTargets(args: ShellWord[]): WriteWord[] {
  const { options, operands } = readCommandOptions(toDashed(args), TAR);
  const out: WriteWord[] = [];
  const archive = lastValue(options, "f");
  if (hasOption(options, ...WRITES_ARCHIVE) && archive && archive.text !== "-") out.push(archive);
  for (const o of options)
    if ((o.name === "g" || o.name === "index-file") && o.value) out.push(o.value);
  if (options.some((o) => o.name === "checkpoint-action" && /exec/.test(o.value?.text ?? "exec")))
    out.push(toUnknownTarget("(what tar's checkpoint command writes)"));
  if (hasOption(options, "c") && hasOption(options, "remove-files"))
    out.push(...inDirs(operands, options, toWord(".")));
  if (hasOption(options, "x")) out.push(...extracted(operands, options));
  return out;
}

function extracted(members: ShellWord[], options: GivenOption[]): WriteWord[] {
  if (hasOption(options, "O")) return []; // to stdout
  if (hasOption(options, "to-command"))
    return [toUnknownTarget("(what tar --to-command's program writes)")];
  if (hasOption(options, "P")) return [toUnknownTarget("(the absolute paths a tar -P extracts)")];
  const top = options.findLast((o) => o.name === "one-top-level");
  const base = top?.value && top.value.text !== "" ? top.value : toWord(".");
  // Renamed members land elsewhere: the whole directory is the write.
  const renamed = hasOption(options, "transform", "strip-components");
  if (members.length > 0 && !renamed && !members.some((m) => m.dynamic)) {
    const globs = hasOption(options, "wildcards");
    return inDirs(
      members.map((m) => (globs && /[*?[]/.test(m.text) ? { ...m, glob: true } : m)),
      options,
      base,
    );
  }
  const dirs = options.flatMap((o) => (o.name === "C" && o.value ? [o.value] : []));
  return (dirs.length > 0 ? dirs : [toWord(".")]).map((d) => toPathIn(d, base, true));
}

/** Each member under the `-C` given before it (tar applies `-C` to the names after it). */
function inDirs(members: ShellWord[], options: GivenOption[], base: ShellWord): WriteWord[] {
  return members.map((m, i) => {
    const dir = options.findLast((o) => o.name === "C" && o.after <= i)?.value;
    return toPathIn(dir, toPathIn(base, m), true);
  });
}

/** tar's old form, `tar xzf a.tgz`: the first word's letters are options, taking values in order. */
function toDashed(args: ShellWord[]): ShellWord[] {
  const first = args[0];
  if (!first || first.dynamic || first.text.startsWith("-") || !/^[A-Za-z]+$/.test(first.text))
    return args;
  const rest = args.slice(1);
  const dashed: ShellWord[] = [];
  for (const letter of first.text) {
    dashed.push(toWord(`-${letter}`));
    const value = TAR.short.get(letter) === ":" ? rest.shift() : undefined;
    if (value) dashed.push(value);
  }
  return [...dashed, ...rest];
}
