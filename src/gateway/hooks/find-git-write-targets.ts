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

/**
 * The worktree files a git command writes, from its arguments: `checkout [tree-ish] -- PATHS`
 * and `restore PATHS` (each a tree: a pathspec may be a directory, git matches its own
 * globs), `apply` (the files its diff names, as patch), `clone` (the new tree). `dir` is
 * where `-C`/`--work-tree` point it. Switching branches is not read here.
 */
export function findGitWriteTargets(
  sub: string | undefined,
  args: ShellWord[],
  dir: ShellWord | undefined,
  stdin: Stdin,
): WriteWord[] {
  if (sub === "checkout" || sub === "restore") return pathspecTargets(sub, args, dir);
  if (sub === "apply") return applyTargets(args, dir, stdin);
  if (sub === "clone") return cloneTargets(args, dir);
  return [];
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
