import type { ShellWord } from "./parse-shell-command.js";
import {
  compileOptionSpec,
  hasOption,
  lastValue,
  readCommandOptions,
} from "./read-command-options.js";
import { toPathIn, toUnknownTarget, toWord, type WriteWord } from "./write-word.js";

/** unzip: `-d DIR` (also `-dDIR`), a password and charsets take values; `-x` is handled apart. */
const UNZIP = compileOptionSpec("d:P:I:O:");
/** unzip modes that only list, test or print (`-p` and `-c` to stdout). */
const UNZIP_READS = ["l", "t", "v", "p", "c", "z", "Z"];

/** gzip, bzip2, xz and their `un…` forms: the options that take a value. */
const COMPRESSOR = compileOptionSpec("S:F:C:T:M:", {
  decompress: "d",
  uncompress: "d",
  stdout: "c",
  "to-stdout": "c",
  keep: "k",
  recursive: "r",
  suffix: "S:",
  test: "t",
  list: "l",
  name: "N",
  files: "::",
  files0: "files::",
  format: "F:",
  check: "C:",
  threads: "T:",
  memlimit: "M:",
});
type Family = { suffix: string; strips: [string, string][] };
/** Each compressor's suffix, and the suffixes it strips when decompressing (`.tgz` → `.tar`). */
const GZIP: Family = {
  suffix: ".gz",
  strips: [
    [".gz", ""],
    ["-gz", ""],
    [".z", ""],
    ["-z", ""],
    ["_z", ""],
    [".tgz", ".tar"],
    [".taz", ".tar"],
  ],
};
const BZIP2: Family = {
  suffix: ".bz2",
  strips: [
    [".bz2", ""],
    [".bz", ""],
    [".tbz2", ".tar"],
    [".tbz", ".tar"],
  ],
};
const XZ: Family = {
  suffix: ".xz",
  strips: [
    [".xz", ""],
    [".lzma", ""],
    [".txz", ".tar"],
    [".tlz", ".tar"],
  ],
};
/** The compressor each name runs, and whether it decompresses by default. */
export const COMPRESSORS: Record<string, { family: Family; decompress: boolean }> = {
  gzip: { family: GZIP, decompress: false },
  gunzip: { family: GZIP, decompress: true },
  bzip2: { family: BZIP2, decompress: false },
  bunzip2: { family: BZIP2, decompress: true },
  xz: { family: XZ, decompress: false },
  unxz: { family: XZ, decompress: true },
  lzma: { family: XZ, decompress: false },
  unlzma: { family: XZ, decompress: true },
};

/**
 * `unzip`: a tree into `-d DIR` or the cwd, or the members it names there (unzip matches
 * its own wildcards, quoted or not). Listing, testing and printing modes write nothing.
 */
export function findUnzipTargets(args: ShellWord[]): WriteWord[] {
  const { options, operands } = readCommandOptions(withoutExclusions(args), UNZIP);
  if (hasOption(options, ...UNZIP_READS)) return [];
  const dir = lastValue(options, "d");
  const members = operands.slice(1);
  // -j drops the members' directories: what lands is named by the archive, not the line.
  if (members.length === 0 || hasOption(options, "j") || members.some((m) => m.dynamic))
    return [toPathIn(dir, toWord("."), true)];
  return members.map((m) => toPathIn(dir, /[*?[]/.test(m.text) ? { ...m, glob: true } : m, true));
}

/** `unzip a.zip -x 'docs/*' -d out`: the words after `-x` (up to the next option) are excluded, not written. */
function withoutExclusions(args: ShellWord[]): ShellWord[] {
  const kept: ShellWord[] = [];
  let excluding = false;
  for (const a of args) {
    if (a.text.startsWith("-")) {
      excluding = /^-[a-zA-Z]*x$/.test(a.text);
      const flags = excluding ? a.text.slice(0, -1) : a.text;
      if (flags !== "-") kept.push({ ...a, text: flags });
    } else if (!excluding) kept.push(a);
  }
  return kept;
}

/**
 * gzip, bzip2, xz: compressing writes `FILE.gz` and removes FILE; decompressing writes FILE
 * beside `FILE.gz` and removes it (`-k` keeps the input, `-c` writes to stdout, `-r` a
 * tree). A name restored from the archive (`-N`) or files listed in a file are unknown.
 */
export function findCompressorTargets(bin: string, args: ShellWord[]): WriteWord[] {
  const tool = COMPRESSORS[bin];
  if (!tool) return [];
  const { options, operands } = readCommandOptions(args, COMPRESSOR);
  if (hasOption(options, "c", "t", "l")) return [];
  const out: WriteWord[] = hasOption(options, "files")
    ? [toUnknownTarget("(the files a list names)")]
    : [];
  const decompress = tool.decompress || hasOption(options, "d");
  const suffix = lastValue(options, "S");
  const removed = (f: ShellWord) => (hasOption(options, "k") ? [] : [f]);
  for (const f of operands.filter((o) => o.text !== "-" || o.dynamic)) {
    if (hasOption(options, "r")) out.push({ ...f, tree: true });
    else if (decompress)
      out.push(
        ...decompressed(f, tool.family.strips, suffix, hasOption(options, "N")),
        ...removed(f),
      );
    else {
      const dynamic = f.dynamic || suffix?.dynamic === true;
      out.push(...removed(f), {
        ...f,
        text: f.text + (suffix?.text ?? tool.family.suffix),
        dynamic,
      });
    }
  }
  return out;
}

function decompressed(
  f: ShellWord,
  strips: [string, string][],
  suffix: ShellWord | undefined,
  restoreName: boolean,
): WriteWord[] {
  if (restoreName) return [toUnknownTarget("(the name gzip -N restores from the archive)")];
  if (f.dynamic || suffix?.dynamic) return [{ ...f, dynamic: true }];
  const rules: [string, string][] = suffix ? [[suffix.text, ""], ...strips] : strips;
  const lower = f.text.toLowerCase();
  const rule = rules.find(([s]) => s !== "" && lower.endsWith(s.toLowerCase()) && lower !== s);
  // An unknown suffix: the tool refuses the file and writes nothing.
  return rule ? [{ ...f, text: f.text.slice(0, -rule[0].length) + rule[1] }] : [];
}
