import type { ShellWord } from "./parse-shell-command.js";
import {
  compileOptionSpec,
  hasOption,
  lastValue,
  readCommandOptions,
} from "./read-command-options.js";
import { toUnknownTarget, toWord, type WriteWord } from "./write-word.js";

const SORT = compileOptionSpec("k:o:S:t:T:", {
  output: "o:",
  key: "k:",
  "field-separator": "t:",
  "buffer-size": "S:",
  "temporary-directory": "T:",
  "files0-from": ":",
  "random-source": ":",
  "compress-program": ":",
  parallel: ":",
  "batch-size": ":",
  sort: ":",
});
const UNIQ = compileOptionSpec("f:s:w:", {
  "skip-fields": "f:",
  "skip-chars": "s:",
  "check-chars": "w:",
  "all-repeated": "::",
  group: "::",
});
const SPLIT = compileOptionSpec("a:b:C:l:n:t:", {
  "suffix-length": "a:",
  bytes: "b:",
  "line-bytes": "C:",
  lines: "l:",
  number: "n:",
  separator: "t:",
  "additional-suffix": ":",
  filter: ":",
  "numeric-suffixes": "::",
  "hex-suffixes": "::",
});
const CSPLIT = compileOptionSpec("b:f:n:", {
  "suffix-format": "b:",
  prefix: "f:",
  digits: "n:",
});

/** `sort -o FILE` (`--output=FILE`, `-oFILE`); without it sort writes to stdout. */
export function findSortTargets(args: ShellWord[]): WriteWord[] {
  const out = lastValue(readCommandOptions(args, SORT).options, "o");
  return out ? [out] : [];
}

/** `uniq IN OUT`: the second operand (more is an error, read as written too). */
export function findUniqTargets(args: ShellWord[]): WriteWord[] {
  return readCommandOptions(args, UNIQ).operands.slice(1);
}

/** `sponge FILE` (`-a` appends). */
export function findSpongeTargets(args: ShellWord[]): WriteWord[] {
  return readCommandOptions(args, compileOptionSpec("")).operands;
}

/**
 * `split [FILE [PREFIX]]` writes `PREFIXaa`, `PREFIXab`, … (prefix `x`), `csplit -f PREFIX`
 * writes `PREFIX00`, … (prefix `xx`): the pattern `PREFIX*`. `split --filter` hands each
 * piece to a command: what that writes is unknown.
 */
export function findSplitTargets(bin: string, args: ShellWord[]): WriteWord[] {
  const { options, operands } = readCommandOptions(args, bin === "csplit" ? CSPLIT : SPLIT);
  if (bin === "split" && hasOption(options, "filter"))
    return [toUnknownTarget("(what split --filter's command writes)")];
  const prefix =
    bin === "csplit" ? (lastValue(options, "f") ?? toWord("xx")) : (operands[1] ?? toWord("x"));
  return [{ ...prefix, text: `${prefix.text}*`, glob: true }];
}
