import type { ShellWord } from "./parse-shell-command.js";

/** What a `git config …` call does to which file. */
export type GitConfigCall =
  | { kind: "read" }
  /** A write to the repository's own config (`.git/config`, or `.git/config.worktree`). */
  | { kind: "write-repository"; file: string }
  /** A write to the file named by `-f`/`--file`. */
  | { kind: "write-file"; file: ShellWord }
  /** A write to the user's or the system's config (`--global`, `--system`); key lower-cased, undefined when not literal. */
  | { kind: "write-user"; key: string | undefined };

/** Options that only read (old syntax) and subcommands that only read (git ≥ 2.46 syntax). */
const READS = new Set([
  "--get",
  "--get-all",
  "--get-regexp",
  "--get-urlmatch",
  "--get-color",
  "--get-colorbool",
  "--list",
  "-l",
]);
const READ_SUBCOMMANDS = new Set(["get", "list"]);
/** Options that change the config whatever else is given. */
const WRITES = new Set([
  "--add",
  "--replace-all",
  "--unset",
  "--unset-all",
  "--rename-section",
  "--remove-section",
  "--edit",
  "-e",
]);
/** Options whose value is the next argument (so it is not a key or a value). */
const WITH_VALUE = new Set([
  "-f",
  "--file",
  "--blob",
  "--type",
  "--default",
  "--comment",
  "--value",
]);

/**
 * Reads the arguments after `git config`: does it read, or write which file? Fails closed:
 * anything that is not plainly a read (`--get…`, `--list`, or a key alone) is a write, and
 * a write names no scope of its own unless `--global`/`--system`/`-f` is given literally.
 */
export function parseGitConfig(args: ShellWord[]): GitConfigCall {
  let file: ShellWord | undefined;
  let user = false;
  let worktree = false;
  let read = false;
  let write = false;
  const operands: ShellWord[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as ShellWord;
    const t = a.text;
    if (a.dynamic)
      operands.push(a); // could be anything, a write option included
    else if (t === "-f" || t === "--file") file = args[++i];
    else if (t.startsWith("--file=")) file = { ...a, text: t.slice("--file=".length) };
    else if (t === "--global" || t === "--system") user = true;
    else if (t === "--worktree") worktree = true;
    else if (READS.has(t)) read = true;
    else if (WRITES.has(t)) write = true;
    else if (WITH_VALUE.has(t)) i++;
    else if (!t.startsWith("-")) operands.push(a);
  }
  // git ≥ 2.46: `git config get|list|set|unset|…`; a key always has a dot, a subcommand never.
  const sub = operands[0] && !operands[0].dynamic && !operands[0].text.includes(".");
  const reads = sub
    ? READ_SUBCOMMANDS.has((operands[0] as ShellWord).text)
    : read || operands.length <= 1;
  if (reads && !write) return { kind: "read" };
  if (file) return { kind: "write-file", file };
  if (user) {
    const keyWord = operands[sub ? 1 : 0];
    const key = keyWord && !keyWord.dynamic ? keyWord.text.toLowerCase() : undefined;
    return { kind: "write-user", key: write ? undefined : key };
  }
  return { kind: "write-repository", file: worktree ? ".git/config.worktree" : ".git/config" };
}
