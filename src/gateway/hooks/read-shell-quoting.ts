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
 * The delimiter word of a heredoc at `i` (after `<<` or `<<-`), with quote removal: `EOF`,
 * `'EOF'`, `"EOF"`, `\EOF` and `E"O"F` all end at a line `EOF`; any quoting means the body
 * is not expanded. Null when there is no word.
 */
export function readDelimiter(
  s: string,
  i: number,
): { delimiter: string; quoted: boolean; end: number } | null {
  while (s[i] === " " || s[i] === "\t") i++;
  let delimiter = "";
  let quoted = false;
  while (i < s.length && !/[\s;&|<>()]/.test(s[i] as string)) {
    const c = s[i] as string;
    if (c === "'" || c === '"') {
      const close = s.indexOf(c, i + 1);
      if (close === -1) return null;
      delimiter += s.slice(i + 1, close);
      quoted = true;
      i = close + 1;
    } else if (c === "\\") {
      delimiter += s[i + 1] ?? "";
      quoted = true;
      i += 2;
    } else {
      delimiter += c;
      i++;
    }
  }
  return delimiter === "" && !quoted ? null : { delimiter, quoted, end: i };
}
