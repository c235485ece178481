/**
 * Well-known credential shapes the redactor masks even when nobody told it the value, and
 * the private-key block markers it suppresses between. Each shape also says how it starts
 * and which characters follow, so a streaming redactor can tell whether the tail of its
 * buffer could still become one (over-holding is safe; under-holding leaks).
 */

export interface CredentialShape {
  kind: string;
  /** Source of the full pattern (no flags, no groups of its own). */
  pattern: string;
  /** Every fixed text a match starts with. */
  starts: readonly string[];
  /** A class holding every character that may follow a start inside a match. */
  body: string;
}

export const CREDENTIAL_SHAPES: readonly CredentialShape[] = [
  {
    kind: "jwt",
    pattern: String.raw`eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*`,
    starts: ["eyJ"],
    body: "[A-Za-z0-9_.-]",
  },
  {
    kind: "github-token",
    pattern: "gh[pousr]_[A-Za-z0-9]{36,}",
    starts: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
    body: "[A-Za-z0-9]",
  },
  {
    kind: "github-token",
    pattern: "github_pat_[A-Za-z0-9_]{22,}",
    starts: ["github_pat_"],
    body: "[A-Za-z0-9_]",
  },
  {
    kind: "aws-access-key-id",
    pattern: "(?:AKIA|ASIA)[A-Z0-9]{16}",
    starts: ["AKIA", "ASIA"],
    body: "[A-Z0-9]",
  },
  {
    kind: "npm-token",
    pattern: "npm_[A-Za-z0-9]{36}",
    starts: ["npm_"],
    body: "[A-Za-z0-9]",
  },
  {
    kind: "slack-token",
    pattern: "xox[abprs]-[A-Za-z0-9-]{10,}",
    starts: ["xoxa-", "xoxb-", "xoxp-", "xoxr-", "xoxs-"],
    body: "[A-Za-z0-9-]",
  },
];

/** The line that opens a private-key block (PKCS#1, PKCS#8, SEC1, OpenSSH, encrypted, PGP). */
export const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/;
/** The line that closes it. */
export const PEM_END = /-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/;

/** Escapes text for use inside a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A pattern matching any non-empty proper-or-full prefix of `text`: `a(?:b(?:c)?)?`. */
export function prefixesOf(text: string): string {
  let out = "";
  for (let i = text.length - 1; i >= 0; i--) {
    const ch = escapeRegExp(text[i] as string);
    out = i === text.length - 1 ? ch : `${ch}(?:${out})?`;
  }
  return out;
}

/** Tail patterns for a marker that opens with fixed text and continues with [A-Z0-9 ] and dashes. */
function markerTail(word: "BEGIN" | "END"): string {
  return `${prefixesOf(`-----${word} `)}|-----${word} [A-Z0-9 ]{0,60}-{0,4}`;
}

/**
 * One regex, anchored at the end of the buffer, whose leftmost match is where the earliest
 * text that could still grow into a credential shape or a key block begins.
 */
export function createShapeTailPattern(): RegExp {
  const alternatives = CREDENTIAL_SHAPES.flatMap((s) =>
    s.starts.map((start) => `${prefixesOf(start)}|${escapeRegExp(start)}${s.body}*`),
  );
  return new RegExp(`(?:${[...alternatives, markerTail("BEGIN")].join("|")})$`);
}

/** Like {@link createShapeTailPattern}, for the end marker while inside a key block. */
export const PEM_END_TAIL = new RegExp(`(?:${markerTail("END")})$`);
