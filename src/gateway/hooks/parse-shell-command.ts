/**
 * The shell parser's entry point and the shape of what it returns, which every hook mapper
 * reads. The reading itself is split by what it is about: words and quoting in
 * shell-word-reader.ts, commands, joins and subshells in shell-command-splitter.ts,
 * heredocs in read-heredoc.ts, bracket and quote scanning in read-shell-quoting.ts.
 */
import { ShellCommandSplitter } from "./shell-command-splitter.js";

/**
 * One word of a shell command; `dynamic` when it holds an expansion leash can't resolve,
 * `glob` when it has an unquoted `*`, `?`, `[` or `{` (a pattern or brace expansion).
 */
export interface ShellWord {
  text: string;
  dynamic: boolean;
  glob?: boolean;
  /** It holds a `$NAME` outside double quotes: the shell splits and globs what it expands to. */
  split?: true;
}

/** A redirection: `>`/`>>`/`&>`/`>&file` write `target`, `<` reads it. Heredocs and fd dups are dropped. */
export interface ShellRedirect {
  op: "write" | "read";
  target: ShellWord;
}

/** What a command reads on stdin, where the text says: a heredoc or here-string, or a pipe. */
export type CommandInput =
  /** A heredoc body or here-string; dynamic when the shell expands it. */
  | { kind: "text"; text: ShellWord }
  /** The command piped in; null when it is a compound command (`( … ) |`, `done |`). */
  | { kind: "pipe"; from: SimpleCommand | null };

export interface SimpleCommand {
  words: ShellWord[];
  redirects: ShellRedirect[];
  input?: CommandInput;
  /** What joins it to the command before it in its list: `&&`, `||` or `|`; absent after `;`, `&`, a newline. */
  link?: "and" | "or" | "pipe";
  /** It runs in a process of its own (`cmd &`, a pipeline's element): a `cd` there moves nothing after it. */
  forked?: true;
  /** The subshells it runs in, outermost first: `( … )` groups (`g…`) and substitutions (`s…`). */
  scope?: string[];
}

export interface ParsedShell {
  /** Every simple command, including those inside `$(…)`, backticks and `<(…)`. */
  commands: SimpleCommand[];
  /** False when the text had unbalanced quotes, parentheses or substitutions: read what could be read. */
  confident: boolean;
  /** It defines a shell function (`f() {…}`, `function f`): its body runs where it is called. */
  definesFunctions: boolean;
}

/**
 * Splits shell text into simple commands (on `&&`, `||`, `;`, `|`, `&`, newlines and
 * parentheses), honouring quotes and escapes, expanding only `~` and `$HOME`. Command
 * substitutions are parsed as commands of their own, and the word holding one is dynamic.
 * Best effort and pure: never runs anything, never throws.
 */
export function parseShellCommand(text: string, home: string, depth = 0): ParsedShell {
  return new ShellCommandSplitter(text, home, depth).read();
}
