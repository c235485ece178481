import type { ShellWord } from "./parse-shell-command.js";

/** Keywords that open a command the words after them still form. */
const LEADING_KEYWORDS = new Set([
  "if",
  "then",
  "else",
  "elif",
  "do",
  "while",
  "until",
  "!",
  "{",
  "time",
]);

/** Drops `NAME=value` assignments and keywords that open a command (`if`, `then`, `!`). */
export function stripLeadingWords(words: ShellWord[]): ShellWord[] {
  let i = 0;
  while (i < words.length) {
    const t = (words[i] as ShellWord).text;
    if (LEADING_KEYWORDS.has(t) || /^[A-Za-z_][A-Za-z0-9_]*\+?=/.test(t)) i++;
    else break;
  }
  return words.slice(i);
}
