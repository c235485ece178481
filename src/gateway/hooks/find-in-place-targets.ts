import type { ShellWord } from "./parse-shell-command.js";
import {
  compileOptionSpec,
  type GivenOption,
  hasOption,
  type OptionSpec,
  readCommandOptions,
} from "./read-command-options.js";
import { toUnknownTarget, type WriteWord } from "./write-word.js";

/**
 * Editors that rewrite their input files in place when told to: how each takes options, how
 * it is told (`edits`), and which options give the program so that every operand is a file
 * (without one, the first operand is the program or script).
 */
interface InPlaceEditor {
  spec: OptionSpec;
  edits: (options: GivenOption[], operands: ShellWord[]) => boolean;
  programFrom: string[];
}

const hasI = (options: GivenOption[]) => hasOption(options, "i");

const EDITORS: Record<string, InPlaceEditor> = {
  // GNU sed -i[SUFFIX]; BSD sed's `-i ''` reads as a script here, so one more file is counted.
  sed: {
    spec: compileOptionSpec("e:f:l:i::", {
      expression: "e:",
      file: "f:",
      "line-length": "l:",
      "in-place": "i::",
    }),
    edits: hasI,
    programFrom: ["e", "f"],
  },
  // perl -i[EXT] (`-pi -e`, `-i.bak`); `-pie` is `-p -i` with the suffix `e`, as perl reads it.
  perl: {
    spec: compileOptionSpec("i::e:E:M:m:I:l::0::x::C::d::D::F::"),
    edits: hasI,
    programFrom: ["e", "E"],
  },
  ruby: {
    spec: compileOptionSpec("i::e:r:I:C:E:F::x::0::T::W::K::"),
    edits: hasI,
    programFrom: ["e"],
  },
  // gawk -i inplace (the inplace extension, also `--include=inplace`); a variable could name it.
  awk: {
    spec: compileOptionSpec("f:v:F:i:l:E:e:d::D::L::o::p::", {
      include: "i:",
      file: "f:",
      assign: "v:",
      "field-separator": "F:",
      load: "l:",
      exec: "E:",
      source: "e:",
    }),
    edits: (options, operands) =>
      options.some((o) => o.name === "i" && isInplaceInclude(o.value)) ||
      // `@include "inplace"` in the program text loads it too.
      (!hasOption(options, "f", "e", "E") &&
        /@include\s+"([^"]*\/)?inplace(\.awk)?"/.test(operands[0]?.text ?? "")),
    programFrom: ["f", "e", "E"],
  },
  // yq -i (mikefarah's `--inplace`, kislyuk's `--in-place`); `-f` takes the filter from a file
  // in jq's yq (mikefarah's is front matter: reading every operand as a file only adds one).
  yq: {
    spec: compileOptionSpec("o:p:I:s:f:", {
      inplace: "i",
      "in-place": "i",
      "output-format": "o:",
      "input-format": "p:",
      indent: "I:",
      "split-exp": "s:",
      "from-file": "f:",
      "front-matter": "f:",
      expression: ":",
      arg: ":",
      argjson: ":",
    }),
    edits: hasI,
    programFrom: ["f", "expression"],
  },
};
EDITORS["gawk"] = EDITORS["awk"] as InPlaceEditor;

/**
 * gawk's `-i FILE` loads an awk library: `inplace` (by name, or a path to `inplace.awk`) edits
 * its files in place. Fails closed: any other path (a copy of it), or a name through a
 * variable, is read as in place too; a bare library name (`-i ordchr`) is not.
 */
function isInplaceInclude(value: ShellWord | undefined): boolean {
  if (value === undefined || value.dynamic) return true;
  return /(^|\/)inplace(\.awk)?$/.test(value.text) || value.text.includes("/");
}
export const IN_PLACE_EDITORS: ReadonlySet<string> = new Set(Object.keys(EDITORS));

/** mikefarah yq's subcommands before the expression (`yq e -i '.a = 1' f.yml`). */
const isYqSubcommand = (w: ShellWord | undefined) =>
  w !== undefined && !w.dynamic && ["e", "eval", "ea", "eval-all"].includes(w.text);

/**
 * `sed -i`, `perl -i`, `ruby -i`, `gawk -i inplace`, `yq -i`: the files they rewrite (every
 * operand but the program, and not awk's `var=value` assignments). `yq -s` writes files
 * named by its input: unknown.
 */
export function findInPlaceTargets(bin: string, args: ShellWord[]): WriteWord[] {
  const editor = EDITORS[bin];
  if (!editor) return [];
  const { options, operands } = readCommandOptions(args, editor.spec);
  const split =
    bin === "yq" && hasOption(options, "s")
      ? [toUnknownTarget("(the files yq -s names from its input)")]
      : [];
  if (!editor.edits(options, operands)) return split;
  const rest = bin === "yq" && isYqSubcommand(operands[0]) ? operands.slice(1) : operands;
  let files = hasOption(options, ...editor.programFrom) ? rest : rest.slice(1);
  if (bin === "awk" || bin === "gawk")
    files = files.filter((f) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(f.text));
  return [...files, ...split];
}
