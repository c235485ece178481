import type { ShellWord } from "./parse-shell-command.js";
import { toUnknownTarget, type WriteWord } from "./write-word.js";

/**
 * Environment variables that point a tool at a config file the agent may have written,
 * whose options (curl's `output = …`, wget's `output_document = …`, `TAR_OPTIONS=-C …`,
 * an `inplace` in `AWKPATH`) write files the command line doesn't name.
 */
const CONFIG_VARIABLES = [
  "CURL_HOME",
  "XDG_CONFIG_HOME",
  "HOME",
  "WGETRC",
  "TAR_OPTIONS",
  "AWKPATH",
];
// A name written out anywhere in the command (an assignment, `export`, `env NAME=…`, `read NAME`);
// `$HOME`/`${HOME}` are expansions, not settings.
const NAMED = new RegExp(`(?<!\\$\\{?)\\b(${CONFIG_VARIABLES.join("|")})\\b`, "g");
// A variable whose name is itself a variable (`export "$V=…"`, `printf -v "$V"`, `read "$V"`).
const NAMED_THROUGH_VARIABLE =
  /\b(export|declare|typeset|readonly|local|read|printf\s+-v)(\s+-[A-Za-z]+)*\s+["']?\$/;

/**
 * Which config variables a shell command (its whole text, nested scripts included) may set.
 * Text, not a walk: a name set in a prefix, by `env`, or exported before the command that
 * reads it are all here; so are mentions that set nothing, which only make leash more careful.
 */
export function findConfigVariables(command: string): ReadonlySet<string> {
  if (NAMED_THROUGH_VARIABLE.test(command)) return new Set(CONFIG_VARIABLES);
  return new Set([...command.matchAll(NAMED)].map((m) => m[1] as string));
}

/**
 * What a command may write through a config file the agent controls: curl reading a
 * `.curlrc` under a `CURL_HOME`, `XDG_CONFIG_HOME` or `HOME` the command sets (unless its
 * first option is `-q`/`--disable`), wget a `WGETRC` or `~/.wgetrc` (unless `--no-config`),
 * tar the options in `TAR_OPTIONS`, gawk `-i` a library found through `AWKPATH`. Unknown.
 */
export function findConfigTargets(
  bin: string,
  args: ShellWord[],
  variables: ReadonlySet<string>,
): WriteWord[] {
  const set = (...names: string[]) => names.some((n) => variables.has(n));
  const unknown = [toUnknownTarget(`(the files ${bin}'s config file names)`)];
  if (bin === "curl") {
    const disabled = args[0]?.text === "-q" || args[0]?.text === "--disable";
    return !disabled && set("CURL_HOME", "XDG_CONFIG_HOME", "HOME") ? unknown : [];
  }
  if (bin === "wget")
    return set("WGETRC", "HOME") && !args.some((a) => a.text === "--no-config") ? unknown : [];
  if (bin === "tar" || bin === "gtar") return set("TAR_OPTIONS") ? unknown : [];
  if (bin === "awk" || bin === "gawk")
    return set("AWKPATH") && args.some((a) => /^(-i|--in)/.test(a.text)) ? unknown : [];
  return [];
}
