/**
 * Scanners over raw shell text that must agree with the parser on what is quoted: `$'…'`
 * decoding, the bracket or backtick closing a substitution, and the substitutions in a
 * heredoc body. Pure functions over a string and an index, so the parser can read a
 * substitution's extent before it parses what is inside.
 */
import { type HeredocEnd, readHeredocBody, readHeredocDelimiter } from "./read-heredoc.js";

/** Bash's single-character escapes in `$'…'`. */
const ANSI_C: Record<string, string> = {
  a: "\x07",
  b: "\b",
  e: "\x1b",
  E: "\x1b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
  "'": "'",
  '"': '"',
  "?": "?",
};
/** `\nnn`, `\xHH`, `\uHHHH`, `\UHHHHHHHH`: the digits each takes and their base. */
const NUMERIC: Record<string, [RegExp, number]> = {
  x: [/^[0-9a-fA-F]{1,2}/, 16],
  u: [/^[0-9a-fA-F]{1,4}/, 16],
  U: [/^[0-9a-fA-F]{1,8}/, 16],
};

/**
 * Decodes the body of `$'…'` starting at `start` (just after the quote): the text, and the
 * index of the closing quote (-1 when unterminated). A NUL ends the word, as in bash, so
 * `$'leash.yaml\0x'` is `leash.yaml`.
 */
export function decodeAnsiC(s: string, start: number): { text: string; end: number } {
  let text = "";
  let cut = false;
  let i = start;
  while (i < s.length && s[i] !== "'") {
    let ch = s[i] as string;
    let n = 1;
    if (ch === "\\" && i + 1 < s.length) [ch, n] = decodeEscape(s, i + 1);
    if (ch === "\0") cut = true;
    if (!cut) text += ch;
    i += n;
  }
  return { text, end: i < s.length ? i : -1 };
}

/** The character an escape at `i` (after the backslash) stands for, and its length. */
function decodeEscape(s: string, i: number): [string, number] {
  const c = s[i] as string;
  if (ANSI_C[c] !== undefined) return [ANSI_C[c] as string, 2];
  const octal = /^[0-7]{1,3}/.exec(s.slice(i, i + 3));
  if (octal) return [String.fromCharCode(Number.parseInt(octal[0], 8) & 0xff), 1 + octal[0].length];
  const numeric = NUMERIC[c];
  const digits = numeric ? numeric[0].exec(s.slice(i + 1, i + 9)) : null;
  if (numeric && digits) {
    const code = Number.parseInt(digits[0], numeric[1]);
    return [code > 0x10ffff ? "\ufffd" : String.fromCodePoint(code), 2 + digits[0].length];
  }
  if (c === "c" && i + 1 < s.length)
    return [String.fromCharCode((s.charCodeAt(i + 1) & 0x1f) as number), 3];
  return [`\\${c}`, 2];
}

/**
 * Index of the bracket closing the one at `open`, skipping quoted text and heredoc bodies
 * (`$(cat <<'EOF' … EOF\n)`, the usual way to pass a commit message, has any quote or
 * bracket in its body); -1 when unbalanced.
 */
export function findClosing(s: string, open: number, left: string, right: string): number {
  let level = 0;
  let heredocs: HeredocEnd[] = [];
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === "\\") i++;
    else if (c === "\n" && heredocs.length > 0) {
      i = skipHeredocBodies(s, i + 1, heredocs) - 1;
      heredocs = [];
    } else if (c === "<" && s[i + 1] === "<" && s[i + 2] !== "<" && left !== "`") {
      const strip = s[i + 2] === "-";
      const word = readHeredocDelimiter(s, i + (strip ? 3 : 2));
      if (word !== null) heredocs.push({ delimiter: word.delimiter, strip });
      i = word === null ? i + 1 : word.end - 1;
    } else if (c === "'" && left !== "`") {
      const end = s.indexOf("'", i + 1);
      if (end === -1) return -1;
      i = end;
    } else if (i > open && c === right && (left === right || level === 1)) return i;
    else if (c === left && left !== right) level++;
    else if (c === right) level--;
  }
  return -1;
}

/**
 * The command substitutions (`$(…)`, backticks) in text the shell expands without splitting
 * it into commands, such as an unquoted heredoc body: each one's inner text, and whether it
 * was closed. `$((…))` is arithmetic, not a command.
 */
export function findSubstitutions(text: string): { inner: string; closed: boolean }[] {
  const found: { inner: string; closed: boolean }[] = [];
  for (let j = 0; j < text.length; j++) {
    const c = text[j];
    if (c === "\\") j++;
    else if (c === "`" || (c === "$" && text[j + 1] === "(" && text[j + 2] !== "(")) {
      const open = c === "`" ? j : j + 1;
      const end = findClosing(text, open, c === "`" ? "`" : "(", c === "`" ? "`" : ")");
      found.push({ inner: text.slice(open + 1, end === -1 ? undefined : end), closed: end !== -1 });
      j = end === -1 ? text.length : end;
    }
  }
  return found;
}

/** The index just after the bodies of `heredocs` that start at `i`; the end when one never ends. */
function skipHeredocBodies(s: string, i: number, heredocs: HeredocEnd[]): number {
  for (const h of heredocs) {
    const body = readHeredocBody(s, i, h);
    if (!body.closed) return s.length;
    i = body.end;
  }
  return i;
}
