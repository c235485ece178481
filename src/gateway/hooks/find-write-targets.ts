import { posix } from "node:path";
import type { ShellWord } from "./parse-shell-command.js";

/** A path a command writes; `tree` when a whole directory tree may land there (or leave it). */
export interface WriteWord extends ShellWord {
  tree?: boolean;
}

/** Commands that change the files they name without reading them. */
export const WRITES_ALL = new Set(["rm", "touch", "mkdir", "rmdir", "truncate", "unlink", "shred"]);
/** …whose first positional is a mode or owner, not a file. */
const WRITES_AFTER_FIRST = new Set(["chmod", "chown", "chgrp"]);
/** …whose last positional is the destination (the others are read), or `-t DIR`. */
const COPIES = new Set(["cp", "mv", "install", "ln", "rsync"]);
/** Options of `install` whose value is the next argument (another option's value read as an operand only adds a path to check). */
const INSTALL_VALUE = new Set(["-m", "--mode", "-o", "--owner", "-g", "--group"]);

/** The paths one command writes among its arguments (redirects aside). */
export function findWriteTargets(bin: string, args: ShellWord[]): WriteWord[] {
  const positional = args.filter((a) => !a.text.startsWith("-") || a.text === "-");
  if (bin === "rm") {
    const tree = args.some((a) => /^-[a-zA-Z]*[rR]/.test(a.text) || a.text === "--recursive");
    return positional.map((a) => ({ ...a, tree }));
  }
  if (WRITES_ALL.has(bin) || bin === "tee") return positional;
  if (WRITES_AFTER_FIRST.has(bin)) return positional.slice(1);
  if (COPIES.has(bin)) return copyTargets(bin, args);
  if (
    (bin === "sed" || bin === "perl") &&
    args.some((a) => /^-[a-zA-Z]*i/.test(a.text) || a.text.startsWith("--in-place"))
  )
    return args.some((a) => a.text === "-e") ? positional : positional.slice(1);
  if (bin === "dd")
    return args
      .filter((a) => a.text.startsWith("of="))
      .map((a) => ({ ...a, text: a.text.slice(3) }));
  return [];
}

/**
 * `cp`/`mv`/`install`/`ln`/`rsync`: the destination, and where each source lands in it
 * (`cp x.yml .github/workflows` writes `.github/workflows/x.yml`). A destination that may
 * not exist becomes a copy of the source: a whole tree. `-t DIR` names the directory.
 */
function copyTargets(bin: string, args: ShellWord[]): WriteWord[] {
  const read = readCopyArgs(bin, args);
  const dir = read.dir ?? (read.noDir ? undefined : read.operands.at(-1));
  const sources = read.dir ? read.operands : read.operands.slice(0, -1);
  if (bin === "install" && read.makeDirs) return read.operands;
  if (dir === undefined || sources.length === 0) return [];
  if (read.noDir) return [{ ...dir, tree: true }];
  // `D/`, `.`, `..` and `-t D` name a directory that exists: only what lands in it is new.
  const exists = read.dir !== undefined || /(^|\/)\.{0,2}\/?$/.test(dir.text);
  const into = sources.map((s) => landing(dir, s));
  return exists ? into : [{ ...dir, tree: true }, ...into];
}

function landing(dir: ShellWord, source: ShellWord): WriteWord {
  // A source named through a variable lands as some name: `*`, a pattern.
  const base = source.dynamic ? "*" : posix.basename(source.text);
  const text = `${dir.text.replace(/\/+$/, "") || "/"}/${base}`;
  const glob = dir.glob === true || source.dynamic || source.glob === true;
  return { text, dynamic: dir.dynamic, tree: true, ...(glob ? { glob } : {}) };
}

interface CopyArgs {
  operands: ShellWord[];
  dir: ShellWord | undefined;
  noDir: boolean;
  makeDirs: boolean;
}

function readCopyArgs(bin: string, args: ShellWord[]): CopyArgs {
  const out: CopyArgs = { operands: [], dir: undefined, noDir: false, makeDirs: false };
  const targetDir = bin !== "rsync"; // rsync -t keeps times
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as ShellWord;
    const t = a.text;
    if (a.dynamic || !t.startsWith("-") || t === "-") out.operands.push(a);
    else if (t === "--") {
      out.operands.push(...args.slice(i + 1));
      break;
    } else if (targetDir && (t === "--target-directory" || /^-[a-zA-Z]*t$/.test(t)))
      out.dir = args[++i];
    else if (targetDir && t.startsWith("--target-directory="))
      out.dir = { ...a, text: t.slice("--target-directory=".length) };
    else if (targetDir && /^-t./.test(t)) out.dir = { ...a, text: t.slice(2) };
    else if (targetDir && (t === "-T" || t === "--no-target-directory")) out.noDir = true;
    else if (bin === "install" && (t === "-d" || t === "--directory")) out.makeDirs = true;
    else if (t === "-S" || t === "--suffix" || (bin === "install" && INSTALL_VALUE.has(t))) i++;
  }
  return out;
}
