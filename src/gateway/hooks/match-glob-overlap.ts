/** One position of a glob segment: `*`, `?`, a `[…]` class, or a literal (lower-case) character. */
type Token =
  | { kind: "star" }
  | { kind: "any" }
  | { kind: "set"; set: RegExp }
  | { kind: "char"; char: string };

/**
 * Could the two glob segments (no `/`) name one same file name? A shell glob (`*`, `?`,
 * `[…]`, `[!…]`) against another glob or a literal name, compared without regard to case.
 * Conservative: where it can't tell (two classes, a class leash can't read) it says yes.
 */
export function matchGlobOverlap(a: string, b: string): boolean {
  const x = toTokens(a);
  const y = toTokens(b);
  const seen = new Set<number>();
  // Walks both patterns at once: a star may match nothing, or take the other side's next
  // position (a character it produces, or that side's own star's whole run).
  const meet = (i: number, j: number): boolean => {
    const key = i * (y.length + 1) + j;
    if (seen.has(key)) return false;
    seen.add(key);
    const s = x[i];
    const t = y[j];
    if (s === undefined && t === undefined) return true;
    if (s?.kind === "star" && (meet(i + 1, j) || (t !== undefined && meet(i, j + 1)))) return true;
    if (t?.kind === "star" && (meet(i, j + 1) || (s !== undefined && meet(i + 1, j)))) return true;
    if (s === undefined || t === undefined || s.kind === "star" || t.kind === "star") return false;
    return sameCharacter(s, t) && meet(i + 1, j + 1);
  };
  return meet(0, 0);
}

type One = Exclude<Token, { kind: "star" }>;

function sameCharacter(s: One, t: One): boolean {
  if (s.kind === "char" && t.kind === "char") return s.char === t.char;
  if (s.kind === "char" && t.kind === "set") return t.set.test(s.char);
  if (s.kind === "set" && t.kind === "char") return s.set.test(t.char);
  return true; // `?` matches any one character; two classes are taken to share one
}

function toTokens(segment: string): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] as string;
    const close = c === "[" ? segment.indexOf("]", i + 2) : -1;
    if (c === "*") {
      if (out.at(-1)?.kind !== "star") out.push({ kind: "star" });
    } else if (c === "?") out.push({ kind: "any" });
    else if (close !== -1) {
      out.push({ kind: "set", set: toCharacterClass(segment.slice(i + 1, close)) });
      i = close;
    } else out.push({ kind: "char", char: c.toLowerCase() });
  }
  return out;
}

/** A `[…]` body as an anchored one-character RegExp (`!` and `^` negate). */
function toCharacterClass(body: string): RegExp {
  try {
    return new RegExp(`^[${body.replace(/^!/, "^").replace(/\\/g, "\\\\")}]$`, "i");
  } catch {
    return /^/; // a class leash can't read: it could match anything
  }
}
