/**
 * The command half of the shell parser: splits the text at `&&`, `||`, `|`, `;`, `&`,
 * newlines and `( … )`, and records for each simple command its redirects, its stdin (a
 * heredoc, here-string or pipe), what links it to the command before and the subshells it
 * runs in — what walk-shell-cwd.ts needs to tell where a `cd` reaches. Words themselves are
 * read by ShellWordReader, which this class extends; substitutions are split recursively.
 */
import type {
  ParsedShell,
  ShellRedirect,
  ShellWord,
  SimpleCommand,
} from "./parse-shell-command.js";
import { type HeredocEnd, readHeredocBody, readHeredocDelimiter } from "./read-heredoc.js";
import { findSubstitutions } from "./read-shell-quoting.js";
import { ShellWordReader } from "./shell-word-reader.js";

/** How deep substitutions nest before the rest is left unread (and the parse not confident). */
const MAX_DEPTH = 4;

interface Heredoc extends HeredocEnd {
  /** Any quoting in the delimiter (`'EOF'`, `\\EOF`, `E"O"F`): the body is taken as is. */
  quoted: boolean;
  command: SimpleCommand;
}

export class ShellCommandSplitter extends ShellWordReader {
  private commands: SimpleCommand[] = [];
  private definesFunctions = false;
  private current: SimpleCommand = { words: [], redirects: [] };
  private pending: ShellRedirect["op"] | "drop" | "dup" | "here" | null = null;
  private heredocs: Heredoc[] = [];
  private link: SimpleCommand["link"];
  /** Open `( … )` groups, each with the `case` depth it opened at (a pattern's `)` closes none). */
  private groups: { id: string; caseDepth: number }[] = [];
  private caseDepth = 0;
  private nextId = 0;

  private readonly depth: number;

  constructor(s: string, home: string, depth: number) {
    super(s, home);
    this.depth = depth;
  }

  /** Reads the whole text; never throws. */
  read(): ParsedShell {
    while (this.i < this.s.length) this.step(this.s[this.i] as string);
    this.endCommand();
    return {
      commands: this.commands,
      confident: this.confident,
      definesFunctions: this.definesFunctions,
    };
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
    else this.readWordPart(c, next);
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
    if (!h.quoted)
      for (const sub of findSubstitutions(body)) {
        this.substituted(sub.inner);
        if (!sub.closed) this.confident = false;
      }
    const dynamic = !h.quoted && /[$`\\]/.test(body);
    h.command.input = { kind: "text", text: { text: body, dynamic } };
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

  private redirect(n: number, op: NonNullable<ShellCommandSplitter["pending"]>): void {
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

  protected override substituted(inner: string): void {
    if (this.depth < MAX_DEPTH) {
      const nested = new ShellCommandSplitter(inner, this.home, this.depth + 1).read();
      // A substitution runs in a subshell of its own: its `cd` moves nothing outside it.
      const scope = [...this.groups.map((g) => g.id), `s${this.nextId++}`];
      for (const c of nested.commands) c.scope = [...scope, ...(c.scope ?? [])];
      this.commands.push(...nested.commands);
      if (!nested.confident) this.confident = false;
      if (nested.definesFunctions) this.definesFunctions = true;
    } else this.confident = false;
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
