/**
 * The word half of the shell parser: at the cursor, reads one piece of a word — quoted text
 * (`'…'`, `"…"`, `$'…'`, `$"…"`), a backslash escape, `~`, `$NAME`, `$((…))`, a command
 * substitution or a plain character — and appends it to the word being built. It is a base
 * class rather than a separate reader because the command splitter, which extends it, moves
 * the same cursor over the same text: an operator ends a word, a word can hold a `(`.
 * What a substitution runs is the splitter's to record (`substituted`).
 */
import type { ShellWord } from "./parse-shell-command.js";
import { decodeAnsiC, findClosing } from "./read-shell-quoting.js";

export abstract class ShellWordReader {
  /** False once the text had unbalanced quotes, parentheses or substitutions. */
  protected confident = true;
  protected i = 0;
  /** The word being read; null between words. */
  protected word: ShellWord | null = null;
  /** Inside `"…"`: an expansion there is one word. */
  private quoted = false;

  protected readonly s: string;
  protected readonly home: string;

  constructor(s: string, home: string) {
    this.s = s;
    this.home = home;
  }

  /** Records the commands of a substitution's text (`$(…)`, backticks, `<(…)`). */
  protected abstract substituted(inner: string): void;

  /** Reads the piece of a word that starts with `c`, at the cursor. */
  protected readWordPart(c: string, next: string | undefined): void {
    if (c === "'") this.singleQuoted();
    else if (c === '"') this.doubleQuoted();
    else if (c === "\\") this.escaped();
    else if (c === "$" && next === "'") this.ansiQuoted();
    else if (c === "$" && next === '"')
      this.skip(1, () => {}); // $"…": a translated "…"
    else if (c === "$" || c === "`") this.dollar(c, next);
    else if (
      c === "~" &&
      this.word === null &&
      (next === undefined || next === "/" || /\s/.test(next))
    )
      this.skip(1, () => this.append(this.home));
    else {
      this.append(c);
      if ("*?[{".includes(c)) (this.word as ShellWord).glob = true;
      this.i++;
    }
  }

  protected skip(n: number, then: () => void): void {
    then();
    this.i += n;
  }

  /** `$(…)`, `<(…)` or backticks at `open`: parsed as commands of their own. */
  protected substitution(open: number, left: string, right: string): void {
    const end = findClosing(this.s, open, left, right);
    const inner = this.s.slice(open + 1, end === -1 ? undefined : end);
    this.substituted(inner);
    this.append(`$(${inner})`, true);
    this.resumeAfter(end, 1);
  }

  private singleQuoted(): void {
    const end = this.s.indexOf("'", this.i + 1);
    this.append(this.s.slice(this.i + 1, end === -1 ? undefined : end));
    this.resumeAfter(end, 1);
  }

  private doubleQuoted(): void {
    this.append("");
    this.i++;
    this.quoted = true;
    while (this.i < this.s.length && this.s[this.i] !== '"') {
      const c = this.s[this.i] as string;
      const next = this.s[this.i + 1];
      if (c === "\\" && next !== undefined && '$`"\\\n'.includes(next)) {
        if (next !== "\n") this.append(next);
        this.i += 2;
      } else if (c === "$" || c === "`") this.dollar(c, next);
      else {
        this.append(c);
        this.i++;
      }
    }
    if (this.i >= this.s.length) this.confident = false;
    this.quoted = false;
    this.i++;
  }

  /** `$'…'`: ANSI-C quoting, its escapes decoded as bash does. */
  private ansiQuoted(): void {
    const { text, end } = decodeAnsiC(this.s, this.i + 2);
    this.append(text);
    this.resumeAfter(end, 1);
  }

  private escaped(): void {
    const next = this.s[this.i + 1];
    if (next !== undefined && next !== "\n") this.append(next);
    this.i += 2;
  }

  private dollar(c: string, next: string | undefined): void {
    if (c === "`") this.substitution(this.i, "`", "`");
    else if (next === "(" && this.s[this.i + 2] === "(") this.arithmetic();
    else if (next === "(") this.substitution(this.i + 1, "(", ")");
    else this.variable();
  }

  private variable(): void {
    const m = /^\$(?:\{([^}]*)\}|([A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-]))/.exec(this.s.slice(this.i));
    if (!m) {
      this.append("$");
      this.i++;
      return;
    }
    const name = m[1] ?? m[2] ?? "";
    if (name === "HOME") this.append(this.home);
    else this.append(m[0], true);
    if (!this.quoted && name !== "HOME") (this.word as ShellWord).split = true;
    this.i += m[0].length;
  }

  private arithmetic(): void {
    const end = this.s.indexOf("))", this.i + 3);
    this.append("$((…))", true);
    this.resumeAfter(end, 2);
  }

  /** Moves past the closer at `end`; -1 (none): the rest went into the word, a guess. */
  private resumeAfter(end: number, width: number): void {
    if (end === -1) this.confident = false;
    this.i = end === -1 ? this.s.length : end + width;
  }

  protected append(text: string, dynamic = false): void {
    this.word ??= { text: "", dynamic: false };
    this.word.text += text;
    if (dynamic) this.word.dynamic = true;
  }
}
