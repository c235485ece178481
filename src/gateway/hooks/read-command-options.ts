import type { ShellWord } from "./parse-shell-command.js";

/** How a command takes its options, compiled once from getopt-style text (compileOptionSpec). */
export interface OptionSpec {
  /** Short letter → "" (a flag), ":" (a value: the rest of the word or the next word), "::" (only the rest of the word). */
  short: ReadonlyMap<string, string>;
  /** Long name → the name callers see (its short letter, or itself) and how it takes a value. */
  long: ReadonlyMap<string, { name: string; takes: string }>;
  /** `long` lists every long option the tool has (from its `--help`): any other is unknown. */
  complete: boolean;
}

/** One option as given: its name (the short letter it stands for, or the long name) and value. */
export interface GivenOption {
  name: string;
  value: ShellWord | undefined;
  /** How many operands came before it (`tar … member -C dir` applies to later members only). */
  after: number;
}

export interface CommandArgs {
  options: GivenOption[];
  /** The arguments that are not options or their values, in order (`--` ends the options). */
  operands: ShellWord[];
  /**
   * A long option a complete spec doesn't know (or abbreviates ambiguously) was given without
   * `=`: it may have taken the next word, so which words are operands is unsure.
   */
  unsure: boolean;
}

/**
 * Compiles getopt-style option text: `short` as getopt's optstring (`"o:D:i::"`: `-o` and
 * `-D` take a value, `-i` only an attached one; unlisted letters are flags), `long` as
 * name → the short letter it stands for (or "" for itself), with the same `:`/`::` suffix.
 * `all`, when given, is every long option the tool has, as `name[=LETTER][:|::]` words
 * (`output=o: output-dir: verbose=v`; `long` overrides it): the spec is then complete.
 *
 * The maps are built on first use: the hook starts once per tool call and reads one or two
 * commands, while building every tool's full option list up front cost ~2 ms of each start
 * (measured with --cpu-prof, GC included).
 */
export function compileOptionSpec(
  short: string,
  long: Record<string, string> = {},
  all?: string,
): OptionSpec {
  let built: Pick<OptionSpec, "short" | "long"> | undefined;
  const build = () => {
    built ??= { short: toShortMap(short), long: toLongMap(long, all) };
    return built;
  };
  return {
    get short() {
      return build().short;
    },
    get long() {
      return build().long;
    },
    complete: all !== undefined,
  };
}

function toShortMap(short: string): Map<string, string> {
  const shortMap = new Map<string, string>();
  for (const m of short.matchAll(/([^:])(:{0,2})/g)) shortMap.set(m[1] as string, m[2] as string);
  return shortMap;
}

function toLongMap(
  long: Record<string, string>,
  all: string | undefined,
): Map<string, { name: string; takes: string }> {
  const longMap = new Map<string, { name: string; takes: string }>();
  for (const word of all?.split(/\s+/).filter(Boolean) ?? []) {
    const m = /^([^=:]+)(?:=([^:]+))?(:{0,2})$/.exec(word) as RegExpExecArray;
    longMap.set(m[1] as string, { name: m[2] ?? (m[1] as string), takes: m[3] as string });
  }
  for (const [key, v] of Object.entries(long)) {
    const m = /^([^:]*)(:{0,2})$/.exec(v) as RegExpExecArray;
    longMap.set(key, { name: m[1] || key, takes: m[2] as string });
  }
  return longMap;
}

/**
 * Reads a command's arguments as getopt_long does: clusters (`-sSLo FILE`, `-oFILE`),
 * `--name=value`, `--name value`, unambiguous abbreviations (`--outp`), options after
 * operands, `--`. A word named through a variable (`$X`) is an operand; what can't be
 * matched is a flag. Pure; never throws.
 */
export function readCommandOptions(args: ShellWord[], spec: OptionSpec): CommandArgs {
  const options: GivenOption[] = [];
  const operands: ShellWord[] = [];
  let unsure = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as ShellWord;
    const t = a.text;
    const after = operands.length;
    if (t === "--") {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (!t.startsWith("-") || t === "-") operands.push(a);
    else if (t.startsWith("--")) {
      const eq = t.indexOf("=");
      const given = t.slice(2, eq === -1 ? undefined : eq);
      const long = findLong(spec, given);
      const name = long?.name ?? given;
      if (!long && eq === -1 && spec.complete) unsure = true;
      const attached = eq === -1 ? undefined : { ...a, text: t.slice(eq + 1) };
      const value = attached ?? (long?.takes === ":" ? args[++i] : undefined);
      options.push({ name, value, after });
    } else {
      const taken = readCluster(a, args[i + 1], spec, after, options);
      if (taken) i++;
    }
  }
  return { options, operands, unsure };
}

/** The value of the last option named `name` (or any of `names`) given. */
export function lastValue(options: GivenOption[], ...names: string[]): ShellWord | undefined {
  return options.findLast((o) => names.includes(o.name) && o.value !== undefined)?.value;
}

/** True when an option named `name` (or any of `names`) was given. */
export function hasOption(options: GivenOption[], ...names: string[]): boolean {
  return options.some((o) => names.includes(o.name));
}

/** A cluster (`-sSLo`): flags, then a letter that takes the rest or the next word; true when it took the next. */
function readCluster(
  a: ShellWord,
  next: ShellWord | undefined,
  spec: OptionSpec,
  after: number,
  options: GivenOption[],
): boolean {
  for (let j = 1; j < a.text.length; j++) {
    const name = a.text[j] as string;
    const takes = spec.short.get(name) ?? "";
    if (takes === "") {
      options.push({ name, value: undefined, after });
      continue;
    }
    const rest = a.text.slice(j + 1);
    if (rest !== "" || takes === "::") {
      options.push({ name, value: { ...a, text: rest }, after });
      return false;
    }
    options.push({ name, value: next, after });
    return true;
  }
  return false;
}

/**
 * The long option `given` names: exactly, or as the one option it abbreviates (a complete
 * spec holds every option's own name, so none is taken for a longer one it begins); rsync's
 * and wget's `--no-FLAG` (rsync's `--no-D` too) turns a flag off.
 */
function findLong(spec: OptionSpec, given: string) {
  const exact = spec.long.get(given);
  if (exact || given === "") return exact;
  const flag = given.slice(3);
  const negated =
    spec.long.get(flag)?.takes ?? (flag.length === 1 ? (spec.short.get(flag) ?? "") : ":");
  if (spec.complete && given.startsWith("no-") && negated === "") return { name: given, takes: "" };
  // getopt_long takes an abbreviation when every option it could be is the same one.
  const matches = [...spec.long.entries()].filter(([k]) => k.startsWith(given)).map(([, v]) => v);
  const first = matches[0];
  return first && matches.every((m) => m.name === first.name && m.takes === first.takes)
    ? first
    : undefined;
}
