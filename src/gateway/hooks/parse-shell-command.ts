/** One word of a shell command; `dynamic` when it holds an expansion leash can't resolve. */
export interface ShellWord {
  text: string;
  dynamic: boolean;
}

/** A redirection: `>`/`>>`/`&>`/`>&file` write `target`, `<` reads it. Heredocs and fd dups are dropped. */
export interface ShellRedirect {
  op: "write" | "read";
  target: ShellWord;
}

export interface SimpleCommand {
  words: ShellWord[];
  redirects: ShellRedirect[];
}

export interface ParsedShell {
  /** Every simple command, including those inside `$(…)`, backticks and `<(…)`. */
  commands: SimpleCommand[];
  /** False when the text had unbalanced quotes or substitutions: read what could be read. */
  confident: boolean;
}

const MAX_DEPTH = 4;

/**
 * Splits shell text into simple commands (on `&&`, `||`, `;`, `|`, `&`, newlines and
 * parentheses), honouring quotes and escapes, expanding only `~` and `$HOME`. Command
 * substitutions are parsed as commands of their own, and the word holding one is dynamic.
 * Best effort and pure: never runs anything, never throws.
 */
export function parseShellCommand(text: string, home: string, depth = 0): ParsedShell {
  const p = new ShellReader(text, home, depth);
  p.read();
  return { commands: p.commands, confident: p.confident };
}

class ShellReader {
  commands: SimpleCommand[] = [];
  confident = true;
  private i = 0;
  private word: ShellWord | null = null;
  private current: SimpleCommand = { words: [], redirects: [] };
  private pending: ShellRedirect["op"] | "drop" | "dup" | null = null;
  private heredocs: { delimiter: string; strip: boolean }[] = [];

  private readonly s: string;
  private readonly home: string;
  private readonly depth: number;

  constructor(s: string, home: string, depth: number) {
    this.s = s;
    this.home = home;
    this.depth = depth;
  }

  read(): void {
    while (this.i < this.s.length) this.step(this.s[this.i] as string);
    this.endCommand();
  }

  private step(c: string): void {
    const next = this.s[this.i + 1];
    if (c === " " || c === "\t") this.skip(1, () => this.endWord());
    else if (c === "\n") this.newline();
    else if (c === "#" && this.word === null) this.comment();
    else if (c === "&" && next === ">") this.redirect(this.s[this.i + 2] === ">" ? 3 : 2, "write");
    else if (c === ";" || c === "&" || c === "|" || c === "(" || c === ")")
      this.skip(c === next && c !== "(" && c !== ")" ? 2 : 1, () => this.endCommand());
    else if (c === ">" || c === "<") this.angle(c, next);
    else if (c === "'") this.singleQuoted();
    else if (c === '"') this.doubleQuoted();
    else if (c === "\\") this.escaped();
    else if (c === "$" || c === "`") this.dollar(c, next);
    else if (
      c === "~" &&
      this.word === null &&
      (next === undefined || next === "/" || /\s/.test(next))
    )
      this.skip(1, () => this.append(this.home));
    else {
      this.append(c);
      this.i++;
    }
  }

  private skip(n: number, then: () => void): void {
    then();
    this.i += n;
  }

  private newline(): void {
    this.endCommand();
    this.i++;
    for (const h of this.heredocs.splice(0)) this.skipHeredoc(h.delimiter, h.strip);
  }

  private skipHeredoc(delimiter: string, strip: boolean): void {
    while (this.i < this.s.length) {
      const end = this.s.indexOf("\n", this.i);
      const line = this.s.slice(this.i, end === -1 ? undefined : end);
      this.i = end === -1 ? this.s.length : end + 1;
      if ((strip ? line.replace(/^\t+/, "") : line) === delimiter) return;
    }
    this.confident = false;
  }

  private comment(): void {
    const end = this.s.indexOf("\n", this.i);
    this.i = end === -1 ? this.s.length : end;
  }

  private angle(c: string, next: string | undefined): void {
    // A word of digits just before is a file descriptor (2>err.log), not an argument.
    if (this.word && /^\d+$/.test(this.word.text) && !this.word.dynamic) this.word = null;
    this.endWord();
    if (next === "(")
      this.substitution(this.i + 1, "(", ")"); // <(…) and >(…)
    else if (c === "<" && next === "<") this.heredocStart();
    else if (next === "&")
      this.redirect(2, c === ">" ? "dup" : "drop"); // 2>&1, <&3; but >&file writes file
    else {
      const n = next === ">" || next === "|" || (c === "<" && next === ">") ? 2 : 1;
      this.redirect(n, c === ">" || next === ">" ? "write" : "read");
    }
  }

  private redirect(n: number, op: ShellRedirect["op"] | "drop" | "dup"): void {
    this.endWord();
    this.pending = op;
    this.i += n;
  }

  private heredocStart(): void {
    if (this.s[this.i + 2] === "<") {
      this.redirect(3, "drop"); // here-string: data, not a file
      return;
    }
    const strip = this.s[this.i + 2] === "-";
    this.i += strip ? 3 : 2;
    const m = /^\s*(['"]?)([^\s'";&|<>()]+)\1/.exec(this.s.slice(this.i));
    if (!m) {
      this.confident = false;
      return;
    }
    this.heredocs.push({ delimiter: m[2] as string, strip });
    this.i += m[0].length;
  }

  private singleQuoted(): void {
    const end = this.s.indexOf("'", this.i + 1);
    if (end === -1) this.confident = false;
    this.append(this.s.slice(this.i + 1, end === -1 ? undefined : end));
    this.i = end === -1 ? this.s.length : end + 1;
  }

  private doubleQuoted(): void {
    this.append("");
    this.i++;
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
    this.i++;
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
    this.i += m[0].length;
  }

  private arithmetic(): void {
    const end = this.s.indexOf("))", this.i + 3);
    if (end === -1) this.confident = false;
    this.append("$((…))", true);
    this.i = end === -1 ? this.s.length : end + 2;
  }

  /** `$(…)`, `<(…)` or backticks at `open`: parsed as commands of their own. */
  private substitution(open: number, left: string, right: string): void {
    const end = findClosing(this.s, open, left, right);
    if (end === -1) this.confident = false;
    const inner = this.s.slice(open + 1, end === -1 ? undefined : end);
    if (this.depth < MAX_DEPTH) {
      const nested = parseShellCommand(inner, this.home, this.depth + 1);
      this.commands.push(...nested.commands);
      if (!nested.confident) this.confident = false;
    } else this.confident = false;
    this.append(`$(${inner})`, true);
    this.i = end === -1 ? this.s.length : end + 1;
  }

  private append(text: string, dynamic = false): void {
    this.word ??= { text: "", dynamic: false };
    this.word.text += text;
    if (dynamic) this.word.dynamic = true;
  }

  private endWord(): void {
    if (this.word === null) return;
    const w = this.word;
    this.word = null;
    const op = this.pending;
    this.pending = null;
    if (op === "drop" || (op === "dup" && isFdNumber(w))) return;
    // `>&word` (and `N>&word`) with a word that is not an fd number writes the file, like `&>word`.
    if (op) this.current.redirects.push({ op: op === "dup" ? "write" : op, target: w });
    else this.current.words.push(w);
  }

  private endCommand(): void {
    this.endWord();
    if (this.pending !== null && this.pending !== "drop") this.confident = false;
    this.pending = null;
    if (this.current.words.length > 0 || this.current.redirects.length > 0)
      this.commands.push(this.current);
    this.current = { words: [], redirects: [] };
  }
}

/** `1`, `2-` or `-`: what `>&` duplicates, moves or closes; anything else is a file name. */
function isFdNumber(w: ShellWord): boolean {
  return !w.dynamic && /^(\d+-?|-)$/.test(w.text);
}

/** Index of the bracket closing the one at `open`, skipping quoted text; -1 when unbalanced. */
function findClosing(s: string, open: number, left: string, right: string): number {
  let level = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === "\\") i++;
    else if (c === "'" && left !== "`") {
      const end = s.indexOf("'", i + 1);
      if (end === -1) return -1;
      i = end;
    } else if (i > open && c === right && (left === right || level === 1)) return i;
    else if (c === left && left !== right) level++;
    else if (c === right) level--;
  }
  return -1;
}
