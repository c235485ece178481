import type { ShellWord, SimpleCommand } from "./parse-shell-command.js";
import { toLiteralOutput } from "./read-shell-invocation.js";

/** What a command reads on stdin, as far as the command line says. */
export type Stdin =
  /** Nothing given: the runner's stdin (empty in CI). */
  | { kind: "none" }
  /** A file (`< file`): its content is not on the command line. */
  | { kind: "file" }
  /** A heredoc, a here-string or a pipe; `text` is dynamic when the line doesn't say it literally. */
  | { kind: "text"; text: ShellWord };

/** A command's stdin: a heredoc or here-string, `echo`/`printf`/`cat <<EOF` piped in, or unknown text. */
export function readStdin(cmd: SimpleCommand): Stdin {
  const fromFile = cmd.redirects.some((r) => r.op === "read");
  const input = cmd.input;
  if (input === undefined) return fromFile ? { kind: "file" } : { kind: "none" };
  // A `<` file and a heredoc or pipe: which one is read depends on their order.
  if (fromFile) return { kind: "text", text: { text: "(a file or text on stdin)", dynamic: true } };
  if (input.kind === "text") return input;
  return {
    kind: "text",
    text: toLiteralOutput(input.from) ?? { text: "(the output of a command)", dynamic: true },
  };
}
