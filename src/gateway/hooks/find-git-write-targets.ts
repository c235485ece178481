import { findCopyTargets } from "./find-copy-targets.js";
import { findDiffTargets } from "./find-patch-targets.js";
import type { ShellWord } from "./parse-shell-command.js";
import {
  compileOptionSpec,
  hasOption,
  lastValue,
  type OptionSpec,
  readCommandOptions,
} from "./read-command-options.js";
import type { Stdin } from "./read-stdin.js";
import { toPathIn, toUnknownTarget, toWord, type WriteWord } from "./write-word.js";

const CHECKOUT = compileOptionSpec("b:B:", {
  orphan: ":",
  detach: "",
  conflict: ":",
  "pathspec-from-file": ":",
});
const RESTORE = compileOptionSpec("s:", { source: "s:", "pathspec-from-file": ":" });
const APPLY = compileOptionSpec("p:C:", {
  directory: ":",
  include: ":",
  exclude: ":",
  whitespace: ":",
  "build-fake-ancestor": ":",
  check: "",
  stat: "",
  numstat: "",
  summary: "",
  apply: "",
});
const CLONE = compileOptionSpec("o:b:c:u:j:", {
  origin: "o:",
  branch: "b:",
  config: "c:",
  "upload-pack": "u:",
  jobs: "j:",
  depth: ":",
  reference: ":",
  "reference-if-able": ":",
  "separate-git-dir": ":",
  template: ":",
  "shallow-since": ":",
  "shallow-exclude": ":",
  filter: ":",
  "server-option": ":",
  "bundle-uri": ":",
  "ref-format": ":",
  "recurse-submodules": "::",
});

/** `git mv [-f|-k|-n|-v|--sparse] SRC… DST`: none take a value. */
const MV = compileOptionSpec("", {}, "dry-run=n force=f sparse verbose=v");

/**
 * The worktree files a git command writes, from its arguments: `checkout [tree-ish] -- PATHS`
 * and `restore PATHS` (each a tree: a pathspec may be a directory, git matches its own
 * globs), `apply` (the files its diff names, as patch), `clone` (the new tree), `mv` (as
 * `mv`), the `--output` file of any command (`log`, `show`, `diff`, `format-patch`, `archive`)
 * and `format-patch -o DIR`. Commands that fill the worktree from the index or a tree
 * (`checkout-index -a`/`--prefix`/`--stdin`, `worktree add`, `read-tree -u`) write names
 * leash doesn't see: unknown. `dir` is where `-C`/`--work-tree` point it. Switching
 * branches is not read here.
 */
export function findGitWriteTargets(
  sub: string | undefined,
  args: ShellWord[],
  dir: ShellWord | undefined,
  stdin: Stdin,
): WriteWord[] {
  const out = outputTargets(sub, args, dir);
  if (sub === "checkout" || sub === "restore") out.push(...pathspecTargets(sub, args, dir));
  if (sub === "apply") out.push(...applyTargets(args, dir, stdin));
  if (sub === "clone") out.push(...cloneTargets(args, dir));
  if (sub === "mv") out.push(...findCopyTargets("git mv", args, MV).map((w) => under(dir, w)));
  if (sub === "checkout-index") out.push(...checkoutIndexTargets(args, dir));
  if (sub === "worktree" && args[0]?.text === "add")
    out.push(toUnknownTarget("(the tree git worktree add checks out)"));
  if (sub === "read-tree" && args.some((a) => /^-[a-z]*u/.test(a.text) || a.dynamic))
    out.push(toUnknownTarget("(the files git read-tree -u checks out)"));
  return out;
}

/**
 * `--output=F`/`--output F` (any command taking diff options, and `archive`), `archive -o F`
 * and its abbreviations, `format-patch -o DIR`/`--output-directory DIR` (the patches land
 * in it: a tree). Options end at `--`.
 */
function outputTargets(sub: string | undefined, args: ShellWord[], dir: ShellWord | undefined) {
  const out: WriteWord[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as ShellWord;
    if (a.text === "--") break;
    const eq = a.text.indexOf("=");
    const name = eq === -1 ? a.text : a.text.slice(0, eq);
    const value = eq === -1 ? args[i + 1] : { ...a, text: a.text.slice(eq + 1) };
    const patchDir =
      sub === "format-patch" &&
      (name === "-o" || (name.length > 8 && "--output-directory".startsWith(name)));
    const file =
      name === "--output" ||
      (sub === "archive" && (name === "-o" || (name.length > 2 && "--output".startsWith(name))));
    if ((patchDir || file) && value)
      out.push(under(dir, patchDir ? { ...value, tree: true } : value));
    else if (sub === "archive" && /^-o./.test(a.text))
      out.push(under(dir, { ...a, text: a.text.slice(2) }));
  }
  return out;
}

/** `checkout-index PATHS` writes them; `-a`, `--prefix`, `--stdin` write names leash doesn't see. */
function checkoutIndexTargets(args: ShellWord[], dir: ShellWord | undefined): WriteWord[] {
  const unknown = args.some(
    (a) =>
      a.dynamic ||
      /^--(a|p|std)/.test(a.text) || // --all, --prefix, --stdin, or abbreviated
      /^-[a-z]*a/.test(a.text),
  );
  if (unknown) return [toUnknownTarget("(the files git checkout-index writes)")];
  if (args.some((a) => a.text === "--temp")) return [];
  return args.filter((a) => !a.text.startsWith("-")).map((a) => under(dir, { ...a, tree: true }));
}

/** A path git reads under `-C`/`--work-tree`; an absolute one stays as given. */
function under(dir: ShellWord | undefined, w: WriteWord): WriteWord {
  return w.text.startsWith("/") && !w.dynamic ? w : toPathIn(dir, w, w.tree === true);
}

function pathspecTargets(sub: string, args: ShellWord[], dir: ShellWord | undefined): WriteWord[] {
  const dashes = args.findIndex((a) => a.text === "--" && !a.dynamic);
  const before = dashes === -1 ? args : args.slice(0, dashes);
  const after = dashes === -1 ? [] : args.slice(dashes + 1);
  const spec: OptionSpec = sub === "checkout" ? CHECKOUT : RESTORE;
  const { options, operands } = readCommandOptions(before, spec);
  if (hasOption(options, "pathspec-from-file"))
    return [toUnknownTarget(`(the paths git ${sub} reads from a file)`)];
  // A new or detached branch changes no path named here.
  if (sub === "checkout" && hasOption(options, "b", "B", "orphan", "detach")) return [];
  // `git checkout main -- f`: before `--` is the tree-ish. Without `--`, every word may be a
  // path (git tries a ref first, and a ref read as a path only adds a harmless write).
  const paths = sub === "checkout" && dashes !== -1 ? after : [...operands, ...after];
  return paths.map((p) => toPathspecTarget(p, dir));
}

/**
 * A pathspec. git matches `*`, `?` and `[` itself, quoted or not, and its `*` crosses `/`:
 * a pattern is read as the tree under its literal directory (`src/*.ts` → `src`). `:(magic)`
 * is not read.
 */
function toPathspecTarget(p: ShellWord, dir: ShellWord | undefined): WriteWord {
  if (p.text.startsWith(":") && !p.dynamic) return toUnknownTarget("(a git pathspec with magic)");
  const glob = p.text.search(/[*?[]/);
  const text = glob === -1 ? p.text : p.text.slice(0, p.text.lastIndexOf("/", glob) + 1) || ".";
  return toPathIn(dir, { text, dynamic: p.dynamic }, true);
}

function applyTargets(args: ShellWord[], dir: ShellWord | undefined, stdin: Stdin): WriteWord[] {
  const { options, operands } = readCommandOptions(args, APPLY);
  const ancestor = lastValue(options, "build-fake-ancestor");
  const out = ancestor ? [toPathIn(dir, ancestor)] : [];
  if (hasOption(options, "check", "stat", "numstat", "summary") && !hasOption(options, "apply"))
    return out;
  const root = lastValue(options, "directory");
  const into = root ? toPathIn(dir, root) : dir;
  const fromFiles = operands.some((o) => o.text !== "-" || o.dynamic);
  const diff: Stdin = fromFiles ? { kind: "file" } : stdin;
  return [
    ...out,
    ...findDiffTargets(diff, lastValue(options, "p") ?? toWord("1"), into, "git apply"),
  ];
}

function cloneTargets(args: ShellWord[], dir: ShellWord | undefined): WriteWord[] {
  const { options, operands } = readCommandOptions(args, CLONE);
  const [repo, target] = operands;
  const gitDir = lastValue(options, "separate-git-dir");
  const out: WriteWord[] = gitDir ? [toPathIn(dir, gitDir, true)] : [];
  if (target) return [...out, toPathIn(dir, target, true)];
  if (!repo) return out;
  const name = repo.dynamic ? "" : toCloneDirName(repo.text);
  return [
    ...out,
    name === ""
      ? toUnknownTarget("(the directory git clone names after its repository)")
      : toPathIn(dir, toWord(name), true),
  ];
}

/** git's "humanish" name: `https://x/a/b.git` → `b`, `host:a/b/` → `b`, `/r/repo/.git` → `repo`. */
function toCloneDirName(repo: string): string {
  const trimmed = repo
    .replace(/\/+$/, "")
    .replace(/\/\.git$/, "")
    .replace(/\/+$/, "");
  const last = trimmed.slice(Math.max(trimmed.lastIndexOf("/"), trimmed.lastIndexOf(":")) + 1);
  return last.replace(/\.(git|bundle)$/, "");
}
