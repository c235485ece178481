import type { ShellWord } from "./parse-shell-command.js";
import { toPathIn } from "./write-word.js";

/** Global options before the subcommand whose value is the next argument. */
const GLOBAL_WITH_VALUE = new Set([
  "-C",
  "-c",
  "--git-dir",
  "--work-tree",
  "--namespace",
  "--exec-path",
]);

export interface GitArgs {
  sub: string | undefined;
  /** The subcommand's arguments. */
  rest: ShellWord[];
  /** Where `-C` and `--work-tree` point it, relative to the cwd; undefined for the cwd. */
  dir: ShellWord | undefined;
}

/** `git [global options] SUB …`: the subcommand, its arguments and the directory it works in. */
export function readGitArgs(args: ShellWord[]): GitArgs {
  let i = 0;
  let dir: ShellWord | undefined;
  while (i < args.length && (args[i] as ShellWord).text.startsWith("-")) {
    const a = args[i] as ShellWord;
    const attached = a.text.startsWith("--work-tree=")
      ? { ...a, text: a.text.slice("--work-tree=".length) }
      : undefined;
    const value =
      attached ?? (a.text === "-C" || a.text === "--work-tree" ? args[i + 1] : undefined);
    if (value) dir = dir === undefined || value.text.startsWith("/") ? value : toPathIn(dir, value);
    i += GLOBAL_WITH_VALUE.has(a.text) ? 2 : 1;
  }
  return { sub: args[i]?.text, rest: args.slice(i + 1), dir };
}
