import { expandLoopVariables, findLoopBindings } from "./bind-loop-variables.js";
import { toWorkspacePath } from "./classify-path.js";
import { findConfigTargets, findConfigVariables } from "./find-config-targets.js";
import { findEnvHosts } from "./find-env-hosts.js";
import { findUrlHosts } from "./find-hosts.js";
import {
  commandRun,
  createWriteSet,
  type MappedCallBuilder,
  secretRead,
  type WriteSet,
} from "./leash-request.js";
import { mapFileAccess, mapUnknownProgramArgs, mapWriteTargets } from "./map-file-access.js";
import { mapGitCommand } from "./map-git-command.js";
import { addEgress, mapInlineCode, mapNetworkCommand } from "./map-network-command.js";
import { mapPackageCommand } from "./map-package-command.js";
import {
  type ParsedShell,
  parseShellCommand,
  type ShellWord,
  type SimpleCommand,
} from "./parse-shell-command.js";
import { moveCwd, readWrapperChdir } from "./read-chdir.js";
import { readShellInvocation } from "./read-shell-invocation.js";
import { readStdin } from "./read-stdin.js";
import { stripLeadingWords } from "./strip-leading-words.js";
import { walkShellCwd } from "./walk-shell-cwd.js";

/** Prefix commands that run the rest of their arguments, with the options that take a value. */
const WRAPPERS: Record<string, ReadonlySet<string>> = {
  sudo: new Set(["-u", "-g", "-h", "-p", "-C", "-U", "-r", "-t", "-T", "-R", "-D", "--chdir"]),
  env: new Set(["-u", "-C", "-S", "--unset", "--chdir", "--split-string"]),
  time: new Set(["-f", "-o"]),
  nice: new Set(["-n"]),
  nohup: new Set(),
  timeout: new Set(["-s", "-k", "--signal", "--kill-after"]),
  exec: new Set(["-a"]),
  command: new Set(),
  builtin: new Set(),
  xargs: new Set(["-n", "-I", "-P", "-L", "-d", "-E", "-s", "-a"]),
  stdbuf: new Set(["-i", "-o", "-e"]),
  watch: new Set(["-n", "-d"]),
};
const SHELLS = new Set(["sh", "bash", "zsh", "dash", "ksh", "fish"]);
/** Keywords whose segment is not a command (`for x in a b`, `case $x in`, `done`). */
const NOT_A_COMMAND = new Set([
  "for",
  "case",
  "select",
  "function",
  "done",
  "fi",
  "esac",
  "}",
  "in",
  ";;",
]);
/** Commands that print the whole environment: a read of every secret in it. */
const ENV_DUMPS = new Set(["printenv", "env", "set", "export", "declare", "typeset", "compgen"]);
const MAX_DEPTH = 4;
/** Builtins that set variables for the rest of the shell (and the commands it runs). */
const EXPORTS = new Set(["export", "declare", "typeset", "readonly", "local"]);

/**
 * Maps a shell command (Bash tool, Codex shell, Copilot bash) to leash requests: each
 * simple command is decided on its own (git push, package managers, network clients,
 * secret reads, writes outside the workspace); what is none of these is a local run in the
 * workspace (`command.run`). Unparseable parts are read as far as they go, conservatively.
 */
export function mapShellCommand(
  command: string,
  out: MappedCallBuilder,
  purpose: string | undefined,
): void {
  const parsed = parseShellCommand(command, out.ctx.home);
  const writes = createWriteSet();
  if (!parsed.confident) writes.unresolved.push(UNREADABLE);
  const configVariables = findConfigVariables(command);
  const local = mapCommands(parsed, out, { purpose, configVariables, writes, depth: 0 });
  out.write(writes, "the command");
  if (local || out.requests.length === 0)
    out.add(commandRun(toWorkspacePath(out.ctx.cwd, out.ctx) ?? out.ctx.cwd));
}

interface Walk {
  purpose: string | undefined;
  /** Config variables the command may set (findConfigVariables). */
  configVariables: ReadonlySet<string>;
  /** What the command writes that leash decides; an unreadable part counts as unresolved. */
  writes: WriteSet;
  depth: number;
}

/** The unresolved target an unparseable shell text stands for. */
const UNREADABLE = "(shell text leash can't fully read)";

/** One simple command; true when (part of) it is a local run. */
function mapSimple(
  all: ShellWord[],
  cmd: SimpleCommand,
  out: MappedCallBuilder,
  walk: Walk,
): boolean {
  const words = stripLeadingWords(all);
  const first = words[0];
  // Proxy variables set before a command (`https_proxy=… curl`) or exported for the rest
  // of the shell send every client's connections there, whatever URL it is given.
  const bin0 = first?.text.slice(first.text.lastIndexOf("/") + 1);
  const prefix = all.slice(0, all.length - words.length);
  addEgress(findEnvHosts(bin0 && EXPORTS.has(bin0) ? all : prefix), out);
  if (first === undefined) {
    mapFileAccess("", [], cmd, out, walk.purpose, walk.writes);
    return true;
  }
  if (NOT_A_COMMAND.has(first.text)) return false;
  const bin = first.text.slice(first.text.lastIndexOf("/") + 1);
  const args = words.slice(1);
  mapFileAccess(bin, args, cmd, out, walk.purpose, walk.writes);
  mapWriteTargets(findConfigTargets(bin, args, walk.configVariables), bin, out, walk.writes);
  if (first.dynamic) {
    // A command run through a variable: decide the URLs it names and the protected paths
    // it could write, run the rest locally.
    mapUnknownProgramArgs(args, first.text, out, walk.writes);
    addEgress(
      args.flatMap((a) => findUrlHosts(a.text)),
      out,
    );
    return true;
  }
  return mapProgram(bin, args, cmd, out, walk);
}

function mapProgram(
  bin: string,
  args: ShellWord[],
  cmd: SimpleCommand,
  out: MappedCallBuilder,
  walk: Walk,
): boolean {
  if (walk.depth < MAX_DEPTH) {
    const nested = mapNested(bin, args, cmd, out, walk);
    if (nested !== null) return nested;
  }
  if (isEnvDump(bin, args)) {
    out.add(secretRead("env:dump", walk.purpose));
    return false;
  }
  if (bin === "git") return mapGitCommand(args, readStdin(cmd), out, walk) === "local";
  if (
    (bin === "python" || bin === "python3") &&
    args[0]?.text === "-m" &&
    args[1]?.text.startsWith("pip")
  )
    return mapPackageCommand("pip", args.slice(2), out) === "local";
  const pkg = mapPackageCommand(bin, args, out);
  if (pkg !== false) return pkg === "local";
  if (mapNetworkCommand(bin, args, out, walk.purpose)) return false;
  mapInlineCode(bin, args, out);
  return true;
}

/** Wrappers (`sudo`, `env X=1`, `xargs`), `sh -c '…'` and `eval`: the commands they run; null when none. */
function mapNested(
  bin: string,
  args: ShellWord[],
  cmd: SimpleCommand,
  out: MappedCallBuilder,
  walk: Walk,
): boolean | null {
  const deeper = { ...walk, depth: walk.depth + 1 };
  const takesValue = WRAPPERS[bin];
  if (takesValue) {
    const rest = afterOptions(args, takesValue);
    if (rest.length === 0 && bin === "env") {
      out.add(secretRead("env:dump", walk.purpose)); // `env` with nothing to run prints it all
      return false;
    }
    if (bin === "env") addEgress(findEnvHosts(args.slice(0, args.length - rest.length)), out);
    if (rest.length === 0) return true;
    // xargs adds the words it reads to the command: arguments leash can't see.
    const words = bin === "xargs" ? [...rest, { text: "(xargs input)", dynamic: true }] : rest;
    // The wrapped command reads the wrapper's stdin (its writes were decided on the wrapper).
    const redirects = cmd.redirects.filter((r) => r.op === "read");
    const inner = { words, redirects, ...(cmd.input ? { input: cmd.input } : {}) };
    // `env -C DIR cmd`, `sudo -D DIR cmd`: the command runs there.
    const chdir = readWrapperChdir(bin, args.slice(0, args.length - rest.length));
    const from = new Set([out.ctx.cwdUnknown ? null : out.ctx.cwd]);
    const [cwd] = chdir === null ? from : moveCwd(from, chdir);
    return mapSimple(words, inner, out.at(cwd ?? null), deeper);
  }
  if (bin === "eval") return runScript(joined(args), out, deeper);
  if (!SHELLS.has(bin)) return null;
  const run = readShellInvocation(args);
  if (run.kind === "file") return null; // a script file: a local run like any program
  if (run.kind === "unknown")
    return runScript({ text: joined(args).text, dynamic: true }, out, deeper);
  // A script on stdin: a heredoc, a here-string, or what is piped in (a `< file` is a script file).
  const stdin = readStdin(cmd);
  const script =
    run.kind === "command" ? run.script : stdin.kind === "text" ? stdin.text : undefined;
  return script === undefined ? true : runScript(script, out, deeper);
}

/**
 * Commands a shell runs from text: parsed where the text is literal; where it isn't (a
 * variable, a command's output) or can't be read, what it writes is unresolved.
 */
function runScript(script: ShellWord, out: MappedCallBuilder, walk: Walk): boolean {
  if (script.dynamic) {
    addEgress(findUrlHosts(script.text), out);
    // A label, not the script: its text (a heredoc body, say) could hold a pasted token.
    walk.writes.unresolved.push("(a shell script leash can't read)");
    return true;
  }
  const parsed = parseShellCommand(script.text, out.ctx.home, walk.depth);
  if (!parsed.confident) walk.writes.unresolved.push(UNREADABLE);
  return mapCommands(parsed, out, walk);
}

/**
 * Each command of a script, in every directory the shell may be in when it runs (`cd`,
 * `pushd` and subshells followed); true when (part of) one is a local run.
 */
function mapCommands(parsed: ParsedShell, out: MappedCallBuilder, walk: Walk): boolean {
  let local = false;
  const start = new Set([out.ctx.cwdUnknown ? null : out.ctx.cwd]);
  const loops = findLoopBindings(parsed.commands);
  walkShellCwd(parsed, start, (cmd, run) => {
    // `for f in src/*.ts; do sed -i … "$f"; done`: the command once for each value of `$f`.
    for (const variant of expandLoopVariables(cmd, loops.get(cmd) ?? []))
      for (const cwd of run) if (mapSimple(variant.words, variant, out.at(cwd), walk)) local = true;
  });
  return local;
}

function isEnvDump(bin: string, args: ShellWord[]): boolean {
  if (!ENV_DUMPS.has(bin)) return false;
  const operands = args.filter((a) => !a.text.startsWith("-") && !a.text.startsWith("+"));
  if (bin === "printenv" || bin === "compgen") return true;
  if (bin === "declare" || bin === "typeset")
    return operands.length === 0 || args.some((a) => a.text === "-p");
  if (bin === "export") return args.every((a) => a.text === "-p");
  return args.length === 0; // a bare `set` or `env` (`set -e` only sets options)
}

function afterOptions(args: ShellWord[], takesValue: ReadonlySet<string>): ShellWord[] {
  let i = 0;
  while (i < args.length) {
    const t = (args[i] as ShellWord).text;
    if (takesNext(t, takesValue)) i += 2;
    else if (
      t.startsWith("-") ||
      /^[A-Za-z_][A-Za-z0-9_]*=/.test(t) ||
      /^\d+(\.\d+)?[smhd]?$/.test(t)
    )
      i++;
    else break;
  }
  return args.slice(i);
}

/**
 * A wrapper's option that takes the next word: named (`-C`), abbreviated (`env --ch DIR`) or
 * ending a cluster (`env -iC DIR`) — else the value would be read as the command.
 */
function takesNext(t: string, takesValue: ReadonlySet<string>): boolean {
  if (takesValue.has(t)) return true;
  if (t.startsWith("--"))
    return !t.includes("=") && t.length >= 3 && [...takesValue].some((o) => o.startsWith(t));
  if (!/^-[A-Za-z0-9]{2,}$/.test(t)) return false;
  return [...t.slice(1)].findIndex((c) => takesValue.has(`-${c}`)) === t.length - 2;
}

function joined(args: ShellWord[]): ShellWord {
  return { text: args.map((a) => a.text).join(" "), dynamic: args.some((a) => a.dynamic) };
}
