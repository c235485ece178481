import type { ShellWord } from "./parse-shell-command.js";
import {
  compileOptionSpec,
  type GivenOption,
  hasOption,
  lastValue,
  readCommandOptions,
} from "./read-command-options.js";
import { toUnknownTarget, toWord, type WriteWord } from "./write-word.js";

// Every long option of GNU coreutils 9 (`--help`).
const SORT = compileOptionSpec(
  "k:o:S:t:T:",
  {},
  `
  batch-size: buffer-size=S: check=c compress-program: debug dictionary-order=d
  field-separator=t: files0-from: general-numeric-sort=g help human-numeric-sort=h
  ignore-case=f ignore-leading-blanks=b ignore-nonprinting=i key=k: merge=m month-sort=M
  numeric-sort=n output=o: parallel: random-sort=R random-source: reverse=r sort: stable=s
  temporary-directory=T: unique=u version version-sort=V zero-terminated=z
`,
);
const UNIQ = compileOptionSpec(
  "f:s:w:",
  {},
  `
  all-repeated:: check-chars=w: count=c group:: help ignore-case=i repeated=d
  skip-chars=s: skip-fields=f: unique=u version zero-terminated=z
`,
);
const SPLIT = compileOptionSpec(
  "a:b:C:l:n:t:",
  {},
  `
  additional-suffix: bytes=b: elide-empty-files=e filter: help hex-suffixes::
  line-bytes=C: lines=l: number=n: numeric-suffixes:: separator=t: suffix-length=a:
  unbuffered=u verbose version
`,
);
const CSPLIT = compileOptionSpec(
  "b:f:n:",
  {},
  `
  digits=n: elide-empty-files=z help keep-files=k prefix=f: quiet=s silent=s
  suffix-format=b: suppress-matched version
`,
);

/** `sort -o FILE` (`--output=FILE`, `-oFILE`); without it sort writes to stdout. */
export function findSortTargets(args: ShellWord[]): WriteWord[] {
  const { options, operands, unsure } = readCommandOptions(args, SORT);
  const out = lastValue(options, "o");
  return [...(out ? [out] : []), ...(unsure ? anyWord(options, operands) : [])];
}

/** An option leash doesn't know may have taken the next word: each word may be the one written. */
const anyWord = (options: GivenOption[], operands: ShellWord[]): WriteWord[] => [
  ...operands,
  ...options.flatMap((o) => (o.value ? [o.value] : [])),
];

/** `uniq IN OUT`: the second operand (more is an error, read as written too). */
export function findUniqTargets(args: ShellWord[]): WriteWord[] {
  const { options, operands, unsure } = readCommandOptions(args, UNIQ);
  return unsure ? anyWord(options, operands) : operands.slice(1);
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
  const { options, operands, unsure } = readCommandOptions(args, bin === "csplit" ? CSPLIT : SPLIT);
  if (unsure)
    return anyWord(options, operands).map((w) => ({ ...w, text: `${w.text}*`, glob: true }));
  if (bin === "split" && hasOption(options, "filter"))
    return [toUnknownTarget("(what split --filter's command writes)")];
  const prefix =
    bin === "csplit" ? (lastValue(options, "f") ?? toWord("xx")) : (operands[1] ?? toWord("x"));
  return [{ ...prefix, text: `${prefix.text}*`, glob: true }];
}
