import type { ShellWord, SimpleCommand } from "./parse-shell-command.js";

/** How a shell (`bash`, `sh`, …) is told what to run. */
export type ShellInvocation =
  /** `-c SCRIPT` (undefined when nothing follows). */
  | { kind: "command"; script: ShellWord | undefined }
  /** A script file: a local run like any program. */
  | { kind: "file" }
  /** No script named: it reads its commands from stdin (`bash`, `bash -s`, `… | bash`). */
  | { kind: "stdin" }
  /** An option named through a variable could be `-c`: what runs is unknown. */
  | { kind: "unknown" };

/** Options whose value is the next argument. */
const WITH_VALUE = /^([-+][a-zA-Z]*[oO]|--rcfile|--init-file)$/;

/** Reads a shell's arguments: `-c` (alone or in a cluster, `-ec`), `-s`, `--`, a file. */
export function readShellInvocation(args: ShellWord[]): ShellInvocation {
  let command = false;
  let stdin = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as ShellWord;
    const t = a.text;
    if (a.dynamic && t.startsWith("$")) return { kind: "unknown" };
    const option = /^[-+]/.test(t) && t !== "-" && t !== "--";
    if (t === "--" || !option) {
      const operand = t === "--" ? args[i + 1] : a;
      if (command) return { kind: "command", script: operand };
      return stdin || operand === undefined ? { kind: "stdin" } : { kind: "file" };
    }
    if (/^-[a-zA-Z]*c/.test(t)) command = true;
    if (/^-[a-zA-Z]*s/.test(t)) stdin = true;
    if (WITH_VALUE.test(t)) i++;
  }
  return command ? { kind: "command", script: undefined } : { kind: "stdin" };
}

/**
 * What a command piped into a shell writes, when the text says it literally: `echo WORDS`,
 * `printf 'TEXT'` (no `%`, only `\n` escapes), or `cat` of a heredoc. Null otherwise.
 */
export function toLiteralOutput(from: SimpleCommand | null): ShellWord | null {
  const words = from?.words ?? [];
  const [bin, ...args] = words;
  if (!bin || bin.dynamic || words.some((w) => w.dynamic)) return null;
  if (bin.text === "echo") {
    const operands = args.filter((a) => !/^-[neE]+$/.test(a.text));
    const escapes =
      args.some((a) => /^-[nE]*e/.test(a.text)) || operands.some((a) => a.text.includes("\\"));
    return escapes ? null : { text: `${operands.map((a) => a.text).join(" ")}\n`, dynamic: false };
  }
  if (bin.text === "printf" && args.length === 1) {
    const format = (args[0] as ShellWord).text;
    if (format.includes("%") || /\\[^n]/.test(format)) return null;
    return { text: format.replaceAll("\\n", "\n"), dynamic: false };
  }
  if (bin.text === "cat" && args.length === 0 && from?.input?.kind === "text")
    return from.input.text;
  return null;
}
