import { StringDecoder } from "node:string_decoder";
import {
  CREDENTIAL_SHAPES,
  createShapeTailPattern,
  escapeRegExp,
  PEM_BEGIN,
  PEM_END,
  PEM_END_TAIL,
} from "../../secrets/index.js";

/** Literals shorter than this are ignored: masking every "password" in a log helps nobody. */
export const MIN_LITERAL_LENGTH = 8;
/** Longest tail held back for a credential shape that is still growing (literals may hold more). */
export const MAX_HOLD_CHARS = 8192;
/** After this much text inside a private-key block with no end marker, output resumes. */
export const MAX_KEY_BLOCK_CHARS = 65536;

const KEY_BLOCK_MASK = "[REDACTED:private-key]";

/** A streaming masker for one output stream. */
export interface Redactor {
  /** Masks `literal` from now on (a secret leased during the run). */
  add(literal: string): void;
  /** Takes the next chunk; returns the text that can no longer become part of a secret, masked. */
  push(chunk: string | Buffer): string;
  /** Flushes everything still held, masked. */
  end(): string;
}

interface Matcher {
  regex: RegExp;
  kinds: string[];
}

/**
 * Creates a redactor that masks the given literals (and those added later) and the
 * well-known credential shapes, also when one is split across chunks: it holds back only
 * the tail of its buffer that could still grow into a match, so ordinary output passes at
 * once. Private-key blocks are suppressed from BEGIN to END. Best effort against accidental
 * leaks; an encoded or deliberately split secret gets through.
 */
export function createRedactor(options: { literals?: readonly string[] } = {}): Redactor {
  const decoder = new StringDecoder("utf8");
  const shapeTail = createShapeTailPattern();
  const literals = new Set<string>();
  let matcher = compileMatcher(literals);
  let pending = "";
  let inKeyBlock = false;
  let keyBlockChars = 0;

  const add = (literal: string) => {
    const before = literals.size;
    for (const v of literalForms(literal)) if (v.length >= MIN_LITERAL_LENGTH) literals.add(v);
    if (literals.size !== before) matcher = compileMatcher(literals);
  };
  for (const l of options.literals ?? []) add(l);

  const mask = (text: string) =>
    text.replace(matcher.regex, (...args: unknown[]) => {
      const groups = args.slice(1, 1 + matcher.kinds.length);
      return `[REDACTED:${matcher.kinds[groups.findIndex((g) => g !== undefined)] ?? "secret"}]`;
    });

  const drainKeyBlock = (final: boolean): boolean => {
    const end = PEM_END.exec(pending);
    if (end) {
      pending = pending.slice(end.index + end[0].length);
      inKeyBlock = false;
      return true;
    }
    // Drop the key material; keep only what could still be the start of the end marker.
    const tail = final ? null : PEM_END_TAIL.exec(pending);
    const keep = tail ? pending.slice(tail.index) : "";
    keyBlockChars += pending.length - keep.length;
    pending = keep;
    if (keyBlockChars <= MAX_KEY_BLOCK_CHARS) return false;
    inKeyBlock = false;
    return true;
  };

  const drain = (final: boolean): string => {
    let out = "";
    for (;;) {
      if (inKeyBlock) {
        if (drainKeyBlock(final)) continue;
        return out;
      }
      const begin = PEM_BEGIN.exec(pending);
      if (begin) {
        out += mask(pending.slice(0, begin.index)) + KEY_BLOCK_MASK;
        pending = pending.slice(begin.index + begin[0].length);
        inKeyBlock = true;
        keyBlockChars = 0;
        continue;
      }
      const cut = final ? pending.length : findSafeCut(pending, matcher, shapeTail, literals);
      out += mask(pending.slice(0, cut));
      pending = pending.slice(cut);
      return out;
    }
  };

  return {
    add,
    push(chunk) {
      pending += typeof chunk === "string" ? chunk : decoder.write(chunk);
      return drain(false);
    },
    end() {
      pending += decoder.end();
      return drain(true);
    },
  };
}

/** The value as given, trimmed, and JSON-escaped: the forms a program is likely to print. */
function literalForms(value: string): string[] {
  return [value, value.trim(), JSON.stringify(value).slice(1, -1)];
}

/** One global regex: literals first (longest first), then every shape, each in its own group. */
function compileMatcher(literals: ReadonlySet<string>): Matcher {
  const parts: { source: string; kind: string }[] = [];
  if (literals.size > 0) {
    const sorted = [...literals].sort((a, b) => b.length - a.length);
    parts.push({ source: sorted.map(escapeRegExp).join("|"), kind: "secret" });
  }
  for (const s of CREDENTIAL_SHAPES) parts.push({ source: s.pattern, kind: s.kind });
  return {
    regex: new RegExp(parts.map((p) => `(${p.source})`).join("|"), "g"),
    kinds: parts.map((p) => p.kind),
  };
}

/**
 * The longest prefix of `text` that no future chunk can turn into (part of) a match: it ends
 * before any match that touches the end of the buffer, before any tail that is the start of a
 * literal or a shape, and never inside a match. Bounded, so a runaway token can't stall output.
 */
function findSafeCut(
  text: string,
  matcher: Matcher,
  shapeTail: RegExp,
  literals: ReadonlySet<string>,
): number {
  const len = text.length;
  let cut = len;
  const spans: [number, number][] = [];
  for (const m of text.matchAll(matcher.regex)) {
    const end = m.index + m[0].length;
    spans.push([m.index, end]);
    if (end === len) cut = Math.min(cut, m.index);
  }
  const tail = shapeTail.exec(text);
  if (tail) cut = Math.min(cut, tail.index);
  let longest = 0;
  for (const literal of literals) {
    cut = Math.min(cut, literalTailStart(text, literal));
    longest = Math.max(longest, literal.length);
  }
  for (let i = spans.length - 1; i >= 0; i--) {
    const [a, b] = spans[i] as [number, number];
    if (a < cut && cut < b) cut = a;
  }
  const floor = len - Math.max(MAX_HOLD_CHARS, longest);
  if (cut >= floor) return cut;
  // Held too long: emit up to the bound, extending to the end of a match it would split.
  const split = spans.find(([a, b]) => a < floor && floor < b);
  return split ? split[1] : floor;
}

/** Where the earliest suffix of `text` that is a proper prefix of `literal` starts, else text.length. */
function literalTailStart(text: string, literal: string): number {
  const first = literal.charCodeAt(0);
  for (let i = Math.max(0, text.length - literal.length + 1); i < text.length; i++) {
    if (text.charCodeAt(i) === first && literal.startsWith(text.slice(i))) return i;
  }
  return text.length;
}
