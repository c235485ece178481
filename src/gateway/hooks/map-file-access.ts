import { posix } from "node:path";
import { isControlPath, toAbsolutePath, toSecretName, toWriteTarget } from "./classify-path.js";
import { expandBraces } from "./expand-braces.js";
import { findWriteTargets, WRITES_ALL } from "./find-write-targets.js";
import {
  codeWrite,
  type MappedCallBuilder,
  secretRead,
  toolUse,
  type WriteSet,
} from "./leash-request.js";
import { holdsProtected, matchProtectedPattern } from "./match-protected-pattern.js";
import type { ShellWord, SimpleCommand } from "./parse-shell-command.js";
import { readStdin } from "./read-stdin.js";
import type { WriteWord } from "./write-word.js";

/** git files that redirect pushes or run code on git operations. */
// Case-insensitive: on macOS and Windows runners `.GIT/Hooks` is `.git/hooks`.
const GIT_CONTROL = /^\.git\/(config|hooks(\/|$)|info(\/|$))/i;
/** The agents' own hook settings: an agent that edits them can switch its hook off. */
const AGENT_CONFIG =
  /^(\.claude\/(settings(\.local)?\.json|hooks(\/|$))|\.codex\/|\.github\/hooks\/)/i;

/**
 * What one simple command reads and writes among the files it names: reads of credential
 * files are `secret.read` (named for the file); writes to control paths are a `code.write`
 * needing approval; writes outside the workspace (and its scratch dirs) or to git's own
 * config and hooks are refused locally and reported. Adds what it writes to `set`.
 */
export function mapFileAccess(
  bin: string,
  args: ShellWord[],
  cmd: SimpleCommand,
  out: MappedCallBuilder,
  purpose: string | undefined,
  set: WriteSet,
): void {
  const writes = [
    ...cmd.redirects.filter((r) => r.op === "write").map((r) => r.target),
    ...findWriteTargets(bin, args, readStdin(cmd)),
  ];
  const reads = [
    ...cmd.redirects.filter((r) => r.op === "read").map((r) => r.target),
    ...(WRITES_ALL.has(bin) ? [] : args),
  ];
  for (const w of reads) readSecret(w, out, purpose);
  mapWriteTargets(writes, bin, out, set);
}

/**
 * Classifies the files a command writes: outside the workspace, git's own config and hooks
 * and the agents' hook settings are refused; control paths go to `set.paths`. Fails
 * closed: a target named through a variable, or a pattern that could name a protected path,
 * goes to `set.unresolved` (a `code.write` whose paths are unknown), never a plain run.
 */
export function mapWriteTargets(
  writes: WriteWord[],
  bin: string,
  out: MappedCallBuilder,
  set: WriteSet,
): void {
  for (const w of writes) {
    if (w.dynamic) set.unresolved.push(w.text);
    else if (out.ctx.cwdUnknown && !w.text.startsWith("/")) set.unresolved.push(inUnknownCwd(w));
    else if (!w.glob) mapLiteral(w.text, w.tree === true, bin, out, set);
    else {
      const alternatives = expandBraces(w.text);
      if (alternatives === null) set.unresolved.push(w.text);
      else for (const a of alternatives) mapPattern(a, w.tree === true, bin, out, set);
    }
  }
}

/**
 * A program named through a variable (`$C x .github/workflows/a.yml`) may write any file it
 * is given: its arguments that are protected paths are decided as writes of them.
 */
export function mapUnknownProgramArgs(
  args: ShellWord[],
  bin: string,
  out: MappedCallBuilder,
  set: WriteSet,
): void {
  for (const a of args) {
    if (a.dynamic || a.text.startsWith("-")) continue;
    if (out.ctx.cwdUnknown && !a.text.startsWith("/")) {
      set.unresolved.push(inUnknownCwd(a));
      continue;
    }
    const t = toWriteTarget(a.text, out.ctx);
    const inside = t.kind === "workspace" || t.kind === "git-dir";
    if (inside && (isGitControlPath(t.path) || isAgentConfigPath(t.path) || isControlPath(t.path)))
      mapLiteral(a.text, false, bin, out, set);
  }
}

/** A relative path after a `cd` leash can't follow: it could be any file, a protected one too. */
const inUnknownCwd = (w: ShellWord): string => `(unknown cwd)/${w.text}`;

function mapLiteral(
  text: string,
  tree: boolean,
  bin: string,
  out: MappedCallBuilder,
  set: WriteSet,
): void {
  const t = toWriteTarget(text, out.ctx);
  if (t.kind === "outside") refuseOutside(t.path, bin, out);
  else if (t.kind === "git-dir" && isGitControlPath(t.path)) refuseGitDir(t.path, bin, out);
  else if (t.kind === "workspace" && isAgentConfigPath(t.path)) refuseAgentConfig(t.path, bin, out);
  else if (t.kind === "workspace" && isControlPath(t.path)) set.paths.push(t.path);
  else if (tree && (t.kind === "workspace" || t.kind === "git-dir")) {
    // A directory a tree lands in (or leaves): `cp -r x .github`, `mv x .github/workflows`.
    const holds = holdsProtected(t.path);
    if (holds === "git") refuseGitDir(t.path, bin, out);
    else if (holds === "agent") refuseAgentConfig(t.path, bin, out);
    else if (holds === "control") set.unresolved.push(t.path);
  }
}

/** A glob: decided as the protected paths it could name (its literal prefix, if outside). */
function mapPattern(
  text: string,
  tree: boolean,
  bin: string,
  out: MappedCallBuilder,
  set: WriteSet,
): void {
  const glob = text.search(/[*?[]/);
  if (glob === -1) {
    mapLiteral(text, tree, bin, out, set);
    return;
  }
  const dir = text.slice(0, text.lastIndexOf("/", glob) + 1) || ".";
  const t = toWriteTarget(dir, out.ctx);
  if (t.kind === "outside") refuseOutside(toAbsolutePath(text, out.ctx), bin, out);
  if (t.kind !== "workspace" && t.kind !== "git-dir") return; // scratch space or a device
  const rel = posix.relative(out.ctx.workspace, toAbsolutePath(text, out.ctx)) || ".";
  const kind = matchProtectedPattern(rel);
  if (kind === "git") refuseGitDir(rel, bin, out);
  else if (kind === "agent") refuseAgentConfig(rel, bin, out);
  else if (kind === "control") set.unresolved.push(rel);
}

/** Any argument (or `--opt=value`) naming a credential file is a read of that secret. */
function readSecret(w: ShellWord, out: MappedCallBuilder, purpose: string | undefined): void {
  if (w.dynamic) return;
  const eq = w.text.startsWith("-") ? w.text.indexOf("=") : -1;
  const text = eq === -1 ? w.text : w.text.slice(eq + 1);
  if (text === "" || (text.startsWith("-") && eq === -1)) return;
  const name = toSecretName(toAbsolutePath(text, out.ctx), out.ctx);
  if (name) out.add(secretRead(name, purpose));
}

/** A write outside the workspace: refused here, and reported as the escaping write it is. */
export function refuseOutside(abs: string, tool: string, out: MappedCallBuilder): void {
  const ref = out.ctx.jobRef ?? out.ctx.currentBranch ?? "refs/heads/(unknown)";
  const rel = relativeTo(out.ctx.workspace, abs);
  out.deny(
    "outside_workspace",
    `${tool} writes ${abs}, outside the workspace ${out.ctx.workspace}; agents change files in the workspace only`,
    codeWrite(ref, { paths: [rel] }),
  );
}

/** True for `.git/config`, hooks and info: writing them redirects pushes or runs code. */
export function isGitControlPath(rel: string): boolean {
  return GIT_CONTROL.test(rel);
}

/** True for the agents' hook settings (`.claude/settings.json`, `.codex/`, `.github/hooks/`). */
export function isAgentConfigPath(rel: string): boolean {
  return AGENT_CONFIG.test(rel);
}

export function refuseAgentConfig(rel: string, tool: string, out: MappedCallBuilder): void {
  out.deny(
    "agent_config_write",
    `${tool} writes ${rel}, the agent's own hook settings; an agent doesn't change how it is checked`,
    toolUse(`${tool} ${rel}`),
  );
}

export function refuseGitDir(rel: string, tool: string, out: MappedCallBuilder): void {
  out.deny(
    "git_config_write",
    `${tool} writes ${rel}, which redirects pushes or runs code on git operations; configure git outside the agent`,
    toolUse(`${tool} ${rel}`),
  );
}

/** A posix relative path from `from` to `to` (with `../` when `to` is outside). */
function relativeTo(from: string, to: string): string {
  const a = from.split("/").filter(Boolean);
  const b = to.split("/").filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => ".."), ...b.slice(i)].join("/") || ".";
}
