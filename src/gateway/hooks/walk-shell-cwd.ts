import type { ParsedShell, SimpleCommand } from "./parse-shell-command.js";
import { type Chdir, type CwdSet, moveCwd, readChdir } from "./read-chdir.js";
import { stripLeadingWords } from "./strip-leading-words.js";

/** Where the shell may be after the last command, by its exit status (what `&&`/`||` run on). */
interface CwdState {
  ok: CwdSet;
  fail: CwdSet;
}

const LOOP_OPENERS = new Set(["while", "until", "for", "select"]);
const UNKNOWN: CwdSet = new Set([null]);

/**
 * Visits each command of a parsed script with every directory the shell may be in when it
 * runs, starting from `start`. Sound rather than exact — the real directory is always one of
 * them: `cd X && cmd` runs cmd in X, but `cd X; cmd` or `cd X || true; cmd` may run it where
 * the `cd` failed too; a subshell (`( … )`, `$( … )`, a pipeline's element, `cmd &`) moves
 * nothing outside it; a `cd` in a loop, or anywhere in a script that defines a function (whose
 * body runs where it is called), makes the directory unknown.
 */
export function walkShellCwd(
  parsed: ParsedShell,
  start: CwdSet,
  visit: (cmd: SimpleCommand, run: CwdSet) => void,
): void {
  const { commands } = parsed;
  const cdpath = commands.some((c) => c.words.some((w) => /CDPATH|cdable_vars/.test(w.text)));
  const moves = commands.map((c) =>
    c.forked ? null : readChdir(stripLeadingWords(c.words), cdpath),
  );
  const anyMove = moves.some((m) => m !== null);
  let state = both(parsed.definesFunctions && anyMove ? UNKNOWN : start);
  const loops = findLoopsThatMove(commands, moves);
  const open: { id: string; state: CwdState }[] = [];
  let lastRun = start;
  commands.forEach((cmd, i) => {
    const scope = cmd.scope ?? [];
    let common = 0;
    while (common < open.length && open[common]?.id === scope[common]) common++;
    // Leaving a substitution restores the state exactly (it ran before its command, in a
    // copy of the shell); after a `( … )` group the shell is where it was before, whichever
    // way the group ended.
    while (open.length > common) {
      const left = open.pop() as { id: string; state: CwdState };
      state = left.id.startsWith("s") ? left.state : both(union(left.state.ok, left.state.fail));
    }
    while (open.length < scope.length) open.push({ id: scope[open.length] as string, state });
    if (loops.has(i)) state = both(UNKNOWN);
    const run = runSet(cmd.link, state, lastRun);
    lastRun = run;
    visit(cmd, run);
    const move = moves[i] ?? null;
    const moved = move === null ? run : moveCwd(run, move);
    // `! cd X && cmd` runs cmd only when the cd failed.
    const lead = cmd.words.length - stripLeadingWords(cmd.words).length;
    const negated = cmd.words.slice(0, lead).some((w) => w.text === "!");
    state = negated ? next(cmd.link, state, run, moved) : next(cmd.link, state, moved, run);
  });
}

/** The directories a command may run in, by what joins it to the one before. */
function runSet(link: SimpleCommand["link"], state: CwdState, lastRun: CwdSet): CwdSet {
  if (link === "and") return state.ok;
  if (link === "or") return state.fail;
  if (link === "pipe") return lastRun; // a pipeline's elements start together
  return union(state.ok, state.fail);
}

/** The state after a command that, run, ends in `ok` when it succeeds and `fail` when not. */
function next(link: SimpleCommand["link"], state: CwdState, ok: CwdSet, fail: CwdSet): CwdState {
  if (link === "and") return { ok, fail: union(state.fail, fail) }; // or it never ran
  if (link === "or") return { ok: union(state.ok, ok), fail };
  if (link === "pipe") return state; // forked: it moves nothing, and the pipeline's start decided
  return { ok, fail };
}

/**
 * The first command of each outermost loop (`while`, `until`, `for`, `select` … `done`) in
 * which a command moves the shell: a later round runs every command in it after that move.
 */
function findLoopsThatMove(commands: SimpleCommand[], moves: Chdir[]): Set<number> {
  const starts = new Set<number>();
  let depth = 0;
  let start = 0;
  commands.forEach((cmd, i) => {
    const first = cmd.words[0]?.text ?? "";
    if (LOOP_OPENERS.has(first)) {
      if (depth === 0) start = i;
      depth++;
    }
    if (depth > 0 && moves[i] !== null) starts.add(start);
    if (first === "done" && depth > 0) depth--;
  });
  return starts;
}

const both = (s: CwdSet): CwdState => ({ ok: s, fail: s });
const union = (a: CwdSet, b: CwdSet): CwdSet => new Set([...a, ...b]);
