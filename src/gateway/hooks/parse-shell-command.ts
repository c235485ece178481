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

import { type HeredocEnd, readHeredocBody, readHeredocDelimiter } from "./read-heredoc.js";
import { decodeAnsiC, findClosing } from "./read-shell-quoting.js";

const MAX_DEPTH = 4;

interface Heredoc extends HeredocEnd {
  /** Any quoting in the delimiter (`'EOF'`, `\\EOF`, `E"O"F`): the body is taken as is. */
  quoted: boolean;
  command: SimpleCommand;
}

/**
 * Splits shell text into simple commands (on `&&`, `||`, `;`, `|`, `&`, newlines and
 * parentheses), honouring quotes and escapes, expanding only `~` and `$HOME`. Command
 * substitutions are parsed as commands of their own, and the word holding one is dynamic.
 * Best effort and pure: never runs anything, never throws.
 */
export function parseShellCommand(text: string, home: string, depth = 0): ParsedShell {
  const p = new ShellReader(text, home, depth);
  p.read();
  return { commands: p.commands, confident: p.confident, definesFunctions: p.definesFunctions };
}

class ShellReader {
  commands: SimpleCommand[] = [];
  confident = true;
  definesFunctions = false;
  private i = 0;
  private word: ShellWord | null = null;
  private current: SimpleCommand = { words: [], redirects: [] };
  private pending: ShellRedirect["op"] | "drop" | "dup" | "here" | null = null;
  private heredocs: Heredoc[] = [];
  private link: SimpleCommand["link"];
  /** Open `( … )` groups, each with the `case` depth it opened at (a pattern's `)` closes none). */
  private groups: { id: string; caseDepth: number }[] = [];
  private caseDepth = 0;
  private nextId = 0;
  /** Inside `"…"`: an expansion there is one word. */
  private quoted = false;

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
    else if (c === "|" && next !== "|") this.pipe(next === "&" ? 2 : 1);
    else if (c === ";" || c === "&" || c === "|") this.separator(c, next);
    else if (c === "(") this.openGroup();
    else if (c === ")") this.closeGroup();
    else if (c === ">" || c === "<") this.angle(c, next);
    else if (c === "'") this.singleQuoted();
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

  /** `|` or `|&`: the next command reads what the one before writes; each runs in a subshell. */
  private pipe(n: number): void {
    const from = this.endCommand();
    if (from) from.forked = true;
    this.i += n;
    this.current.input = { kind: "pipe", from };
    this.link = "pipe";
  }

  /** `&&`, `||`, `;`, `;;` and `&` (which runs the command before it in the background). */
  private separator(c: string, next: string | undefined): void {
    const done = this.endCommand();
    if (c === "&" && next !== "&" && done) done.forked = true;
    if (c === next) this.link = c === "&" ? "and" : c === "|" ? "or" : undefined;
    this.i += c === next ? 2 : 1;
  }

  /** `(`: a subshell, or the `()` of a function definition. */
  private openGroup(): void {
    const words = this.current.words.length + (this.word === null ? 0 : 1);
    if (words === 1 && /^[ \t]*\)/.test(this.s.slice(this.i + 1))) this.definesFunctions = true;
    this.endCommand();
    this.groups.push({ id: `g${this.nextId++}`, caseDepth: this.caseDepth });
    this.i++;
  }

  /** `)`: the end of a subshell, or of a `case` pattern. */
  private closeGroup(): void {
    this.endCommand();
    const top = this.groups.at(-1);
    if (top !== undefined && top.caseDepth === this.caseDepth) this.groups.pop();
    else if (this.caseDepth === 0) this.confident = false;
    this.link = undefined;
    this.i++;
  }

  private skip(n: number, then: () => void): void {
    then();
    this.i += n;
  }

  private newline(): void {
    this.endCommand();
    this.i++;
    for (const h of this.heredocs.splice(0)) this.readHeredoc(h);
  }

  /** A heredoc body is its command's stdin; unless its delimiter was quoted, it is expanded. */
  private readHeredoc(h: Heredoc): void {
    const { text: body, end, closed } = readHeredocBody(this.s, this.i, h);
    this.i = end;
    if (!closed) this.confident = false;
    // `$(…)` and backticks in an unquoted body run when the shell reads it: commands too.
    if (!h.quoted) this.substitutionsIn(body);
    const dynamic = !h.quoted && /[$`\\]/.test(body);
    h.command.input = { kind: "text", text: { text: body, dynamic } };
  }

  private substitutionsIn(body: string): void {
    for (let j = 0; j < body.length; j++) {
      const c = body[j];
      if (c === "\\") j++;
      else if (c === "`" || (c === "$" && body[j + 1] === "(" && body[j + 2] !== "(")) {
        const open = c === "`" ? j : j + 1;
        const end = findClosing(body, open, c === "`" ? "`" : "(", c === "`" ? "`" : ")");
        this.nested(body.slice(open + 1, end === -1 ? undefined : end));
        if (end === -1) this.confident = false;
        j = end === -1 ? body.length : end;
      }
    }
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

  private redirect(n: number, op: NonNullable<ShellReader["pending"]>): void {
    this.endWord();
    this.pending = op;
    this.i += n;
  }

  private heredocStart(): void {
    if (this.s[this.i + 2] === "<") {
      this.redirect(3, "here"); // here-string: the command's stdin, not a file
      return;
    }
    const strip = this.s[this.i + 2] === "-";
    this.i += strip ? 3 : 2;
    const word = readHeredocDelimiter(this.s, this.i);
    if (word === null) {
      this.confident = false;
      return;
    }
    this.heredocs.push({ ...word, strip, command: this.current });
    this.i = word.end;
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
    if (end === -1) this.confident = false;
    this.append(text);
    this.i = end === -1 ? this.s.length : end + 1;
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
    if (end === -1) this.confident = false;
    this.append("$((…))", true);
    this.i = end === -1 ? this.s.length : end + 2;
  }

  /** `$(…)`, `<(…)` or backticks at `open`: parsed as commands of their own. */
  private substitution(open: number, left: string, right: string): void {
    const end = findClosing(this.s, open, left, right);
    if (end === -1) this.confident = false;
    const inner = this.s.slice(open + 1, end === -1 ? undefined : end);
    this.nested(inner);
    this.append(`$(${inner})`, true);
    this.i = end === -1 ? this.s.length : end + 1;
  }

  private nested(inner: string): void {
    if (this.depth < MAX_DEPTH) {
      const nested = parseShellCommand(inner, this.home, this.depth + 1);
      // A substitution runs in a subshell of its own: its `cd` moves nothing outside it.
      const scope = [...this.groups.map((g) => g.id), `s${this.nextId++}`];
      for (const c of nested.commands) c.scope = [...scope, ...(c.scope ?? [])];
      this.commands.push(...nested.commands);
      if (!nested.confident) this.confident = false;
      if (nested.definesFunctions) this.definesFunctions = true;
    } else this.confident = false;
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
    if (op === "here") {
      this.current.input = { kind: "text", text: w };
      return;
    }
    // `>&word` (and `N>&word`) with a word that is not an fd number writes the file, like `&>word`.
    if (op) this.current.redirects.push({ op: op === "dup" ? "write" : op, target: w });
    else {
      if (this.current.words.length === 0) this.keyword(w.text);
      this.current.words.push(w);
    }
  }

  /** Tracks `case … esac` (whose patterns end in `)`) and `function NAME` definitions. */
  private keyword(first: string): void {
    if (first === "case") this.caseDepth++;
    else if (first === "esac" && this.caseDepth > 0) this.caseDepth--;
    else if (first === "function") this.definesFunctions = true;
  }

  /** Ends the command being read; returns it, or null when there was none. */
  private endCommand(): SimpleCommand | null {
    this.endWord();
    if (this.pending !== null && this.pending !== "drop") this.confident = false;
    this.pending = null;
    const done = this.current;
    this.current = { words: [], redirects: [] };
    if (done.words.length === 0 && done.redirects.length === 0 && done.input?.kind !== "text")
      return null; // nothing yet: a link read before it (`a &&` newline `b`) stays for the next
    if (this.link) done.link = this.link;
    if (this.link === "pipe") done.forked = true;
    if (this.groups.length > 0) done.scope = this.groups.map((g) => g.id);
    this.link = undefined;
    this.commands.push(done);
    return done;
  }
}

/** `1`, `2-` or `-`: what `>&` duplicates, moves or closes; anything else is a file name. */
function isFdNumber(w: ShellWord): boolean {
  return !w.dynamic && /^(\d+-?|-)$/.test(w.text);
}
