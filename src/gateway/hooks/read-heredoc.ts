/**
 * Heredocs (`<<EOF`, `<<-'EOF'`): the delimiter word after the operator and the body lines
 * up to it. Both the command parser and `findClosing` (which must step over a body inside
 * `$( … )`) read them, so they read them here, the same way: a body that ends early in one
 * and late in the other would let a command hide inside what the other takes as text.
 */

/** Which line ends a heredoc's body; `strip` (`<<-`) drops leading tabs before comparing. */
export interface HeredocEnd {
  delimiter: string;
  strip: boolean;
}

/**
 * The delimiter word of a heredoc at `i` (after `<<` or `<<-`), with quote removal: `EOF`,
 * `'EOF'`, `"EOF"`, `\EOF` and `E"O"F` all end at a line `EOF`; any quoting means the body
 * is not expanded. Null when there is no word.
 */
export function readHeredocDelimiter(
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

/**
 * The body of a heredoc starting at `i` (the line after its command): its text (each line
 * with its newline, tabs stripped for `<<-`), the index just after the delimiter line, and
 * whether that line came (when not, the body runs to the end of `s`).
 */
export function readHeredocBody(
  s: string,
  i: number,
  h: HeredocEnd,
): { text: string; end: number; closed: boolean } {
  let text = "";
  while (i < s.length) {
    const end = s.indexOf("\n", i);
    const raw = s.slice(i, end === -1 ? undefined : end);
    i = end === -1 ? s.length : end + 1;
    const line = h.strip ? raw.replace(/^\t+/, "") : raw;
    if (line === h.delimiter) return { text, end: i, closed: true };
    text += `${line}\n`;
  }
  return { text, end: i, closed: false };
}
