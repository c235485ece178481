import type { ShellWord, SimpleCommand } from "./parse-shell-command.js";

/** A `for NAME in WORDS` loop variable, while its body runs. */
export interface LoopBinding {
  name: string;
  values: ShellWord[];
}

/** More variants than this and the words stay unknown: a decision is no place for a cartesian blow-up. */
const MAX_VARIANTS = 64;

/**
 * The loop variables bound in each command of a `for NAME in WORDS; do … done` body, when
 * every word is literal or a glob (`for f in src/*.ts`) and nothing in the body sets NAME
 * again (an assignment, `read NAME`, `unset`, `eval`, a name through a variable): there
 * `"$NAME"` is one of the words (a glob stands for the files it matches).
 */
export function findLoopBindings(commands: SimpleCommand[]): Map<SimpleCommand, LoopBinding[]> {
  const bound = new Map<SimpleCommand, LoopBinding[]>();
  commands.forEach((cmd, i) => {
    const [kw, name, inWord, ...values] = cmd.words;
    if (kw?.text !== "for" || inWord?.text !== "in" || !name || name.dynamic) return;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name.text) || values.some((v) => v.dynamic)) return;
    const body = findBody(commands, i);
    if (body.some((c) => setsVariable(c, name.text))) return;
    for (const c of body) bound.set(c, [...(bound.get(c) ?? []), { name: name.text, values }]);
  });
  return bound;
}

/** The commands from the loop's `do` to its `done`. */
function findBody(commands: SimpleCommand[], start: number): SimpleCommand[] {
  let depth = 0;
  for (let j = start; j < commands.length; j++) {
    const first = (commands[j] as SimpleCommand).words[0]?.text;
    if (first === "for" || first === "while" || first === "until" || first === "select") depth++;
    if (first === "done" && --depth === 0) return commands.slice(start + 1, j + 1);
  }
  return commands.slice(start + 1);
}

function setsVariable(cmd: SimpleCommand, name: string): boolean {
  return cmd.words.some(
    (w) =>
      w.text === name ||
      w.text.startsWith(`${name}=`) ||
      w.text.startsWith(`${name}+=`) ||
      w.text === "eval" ||
      (w.dynamic &&
        /^["']?\$/.test(w.text) &&
        /^(declare|typeset|export|local|readonly|read|printf)$/.test(cmd.words[0]?.text ?? "")),
  );
}

/**
 * The command once for each value of its loop variables: `sed -i … "$f"` in
 * `for f in a.ts src/*.ts` is `sed -i … a.ts` and `sed -i … src/*.ts`. Only a quoted
 * reference is replaced (an unquoted one is split and globbed again) and only when no other
 * expansion is left in the word; else the command is returned as it is.
 */
export function expandLoopVariables(cmd: SimpleCommand, bindings: LoopBinding[]): SimpleCommand[] {
  let variants: SimpleCommand[] = [cmd];
  for (const b of bindings) {
    if (variants.length * b.values.length > MAX_VARIANTS) return [cmd];
    variants = variants.flatMap((v) => b.values.map((value) => substitute(v, b.name, value)));
  }
  return variants;
}

function substitute(cmd: SimpleCommand, name: string, value: ShellWord): SimpleCommand {
  const ref = new RegExp(`\\$(\\{${name}\\}|${name}(?![A-Za-z0-9_]))`, "g");
  const word = (w: ShellWord): ShellWord => {
    if (!w.dynamic || w.split || !ref.test(w.text)) return w;
    const text = w.text.replace(ref, () => value.text);
    if (text.includes("$")) return w; // another expansion: still unknown
    const glob = w.glob || value.glob;
    return { text, dynamic: false, ...(glob ? { glob: true } : {}) };
  };
  return {
    ...cmd,
    words: cmd.words.map(word),
    redirects: cmd.redirects.map((r) => ({ ...r, target: word(r.target) })),
  };
}
