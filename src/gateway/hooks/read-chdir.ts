import { posix } from "node:path";
import type { ShellWord } from "./parse-shell-command.js";

/**
 * The directories the shell may be in when a command runs; `null` stands for one leash
 * can't tell (`cd "$D"`, `cd -`, `popd`), where every relative path is unknown.
 */
export type CwdSet = ReadonlySet<string | null>;

/** Where a command moves the shell: a literal directory, somewhere unknown, or nowhere (null). */
export type Chdir = ShellWord | "unknown" | null;

/** Builtins that run shell text in the current shell, which may move it. */
const RUNS_TEXT = new Set(["eval", "trap"]);
const MOVES_IN_TEXT = /(^|[\s;&|(`])(cd|pushd|popd|source|\.|eval|builtin|command)(?=[\s;&|)`]|$)/;

/**
 * How a simple command (leading assignments and keywords stripped) moves the shell's working
 * directory: `cd DIR`, `pushd DIR` (also through `command`/`builtin`). Fails closed: `cd`
 * with no operand (`$HOME`, which a script may change), `cd -`, `pushd +N`, `popd`, a
 * target through a variable or glob, `source`/`.` (a script leash doesn't read), `eval`
 * of text that may move it and a program named through a variable are "unknown"; with
 * `CDPATH` or `cdable_vars` in play (`cdpath`) so is any relative target not starting `.`.
 */
export function readChdir(words: ShellWord[], cdpath: boolean): Chdir {
  let i = 0;
  while (words[i]?.text === "command" || words[i]?.text === "builtin") i++;
  const first = words[i];
  if (first === undefined) return null;
  if (first.dynamic) return "unknown"; // `$C .github`: the program may be `cd`
  const args = words.slice(i + 1);
  const bin = first.text;
  if (bin === "source" || bin === ".") return "unknown";
  if (RUNS_TEXT.has(bin))
    return args.some((a) => a.dynamic || MOVES_IN_TEXT.test(a.text)) ? "unknown" : null;
  if (bin !== "cd" && bin !== "pushd" && bin !== "popd") return null;
  const { flags, operands } = splitOptions(args);
  if (bin !== "cd" && flags.includes("n")) return null; // `pushd -n`/`popd -n` move only the stack
  const dir = operands[0];
  if (bin === "popd" || dir === undefined || dir.dynamic || dir.glob) return "unknown";
  if (dir.text === "-" || (bin === "pushd" && /^[+-]\d+$/.test(dir.text))) return "unknown";
  if (cdpath && !/^(\/|\.\.?(\/|$))/.test(dir.text)) return "unknown";
  return dir;
}

/** `cd`'s options (`-L`, `-P`, `-e`, `-@`; `pushd -n`) and operands; `--` ends the options. */
function splitOptions(args: ShellWord[]): { flags: string; operands: ShellWord[] } {
  let i = 0;
  let flags = "";
  while (i < args.length && /^-[LPe@n]+$/.test((args[i] as ShellWord).text)) {
    flags += (args[i] as ShellWord).text.slice(1);
    i++;
  }
  if (args[i]?.text === "--") i++;
  return { flags, operands: args.slice(i) };
}

/** The directories the shell is in after moving to `dir` from each of `from`. */
export function moveCwd(from: CwdSet, dir: Exclude<Chdir, null>): CwdSet {
  if (dir === "unknown") return new Set([null]);
  const moved = new Set<string | null>();
  for (const cwd of from)
    if (dir.text.startsWith("/")) moved.add(posix.resolve(dir.text));
    else moved.add(cwd === null ? null : posix.resolve(cwd, dir.text));
  return moved;
}

/** Options of wrappers that run their command in another directory (`env -C DIR`, `sudo -D DIR`). */
const WRAPPER_CHDIR: Record<string, { short: string; minLong: number; valued: string }> = {
  env: { short: "C", minLong: 3, valued: "uCS" }, // `--c` is already unambiguous for env
  sudo: { short: "D", minLong: 5, valued: "CDghpRrTtUu" }, // `--chd` (not `--chroot`)
};

/**
 * Where a wrapper's options (`env -C DIR`, `--chdir=DIR`, `-iCDIR`, `sudo -D DIR`) run its
 * command; null when they don't move it.
 */
export function readWrapperChdir(bin: string, options: ShellWord[]): Chdir {
  const spec = WRAPPER_CHDIR[bin];
  if (spec === undefined) return null;
  let dir: Chdir = null;
  for (let i = 0; i < options.length; i++) {
    const o = options[i] as ShellWord;
    const eq = o.text.indexOf("=");
    const name = eq === -1 ? o.text : o.text.slice(0, eq);
    const next = options[i + 1];
    if (name.length >= spec.minLong && "--chdir".startsWith(name))
      dir = eq === -1 ? (next ?? "unknown") : { ...o, text: o.text.slice(eq + 1) };
    else if (/^-[A-Za-z0-9]/.test(o.text) && !o.text.startsWith("--")) {
      // In a cluster (`-iC DIR`) the first option that takes a value takes the rest.
      const at = [...o.text.slice(1)].findIndex((c) => spec.valued.includes(c)) + 1;
      if (at === 0 || o.text[at] !== spec.short) continue;
      const attached = o.text.slice(at + 1);
      dir = attached === "" ? (next ?? "unknown") : { ...o, text: attached };
    }
  }
  if (dir !== null && dir !== "unknown" && (dir.dynamic || dir.glob)) return "unknown";
  return dir;
}
