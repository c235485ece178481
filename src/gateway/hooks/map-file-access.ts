import { isControlPath, toAbsolutePath, toSecretName, toWriteTarget } from "./classify-path.js";
import { codeWrite, type MappedCallBuilder, secretRead, toolUse } from "./leash-request.js";
import type { ShellWord, SimpleCommand } from "./parse-shell-command.js";

/** Commands that change the files they name without reading them. */
const WRITES_ALL = new Set(["rm", "touch", "mkdir", "rmdir", "truncate", "unlink", "shred"]);
/** …whose first positional is a mode or owner, not a file. */
const WRITES_AFTER_FIRST = new Set(["chmod", "chown", "chgrp"]);
/** …whose last positional is the destination (the others are read). */
const WRITES_LAST = new Set(["cp", "mv", "install", "ln", "rsync"]);
/** git files that redirect pushes or run code on git operations. */
const GIT_CONTROL = /^\.git\/(config|hooks(\/|$)|info(\/|$))/;
/** The agents' own hook settings: an agent that edits them can switch its hook off. */
const AGENT_CONFIG =
  /^(\.claude\/(settings(\.local)?\.json|hooks(\/|$))|\.codex\/|\.github\/hooks\/)/;

/**
 * What one simple command reads and writes among the files it names: reads of credential
 * files are `secret.read` (named for the file); writes to control paths are a `code.write`
 * needing approval; writes outside the workspace (and its scratch dirs) or to git's own
 * config and hooks are refused locally and reported. Returns the control paths written.
 */
export function mapFileAccess(
  bin: string,
  args: ShellWord[],
  cmd: SimpleCommand,
  out: MappedCallBuilder,
  purpose: string | undefined,
): string[] {
  const positional = args.filter((a) => !a.text.startsWith("-") || a.text === "-");
  const writes = [
    ...cmd.redirects.filter((r) => r.op === "write").map((r) => r.target),
    ...writtenBy(bin, args, positional),
  ];
  const reads = [
    ...cmd.redirects.filter((r) => r.op === "read").map((r) => r.target),
    ...(WRITES_ALL.has(bin) ? [] : args),
  ];
  for (const w of reads) readSecret(w, out, purpose);
  return mapWriteTargets(writes, bin, out);
}

/**
 * Classifies the files a command writes: outside the workspace, git's own config and hooks
 * and the agents' hook settings are refused; control paths are returned (a `code.write`).
 */
export function mapWriteTargets(
  writes: ShellWord[],
  bin: string,
  out: MappedCallBuilder,
): string[] {
  const control: string[] = [];
  for (const w of writes) {
    if (w.dynamic) continue; // unknown target: the command stays a local run
    const t = toWriteTarget(w.text, out.ctx);
    if (t.kind === "outside") refuseOutside(t.path, bin, out);
    else if (t.kind === "git-dir" && isGitControlPath(t.path)) refuseGitDir(t.path, bin, out);
    else if (t.kind === "workspace" && isAgentConfigPath(t.path))
      refuseAgentConfig(t.path, bin, out);
    else if (t.kind === "workspace" && isControlPath(t.path)) control.push(t.path);
  }
  return control;
}

function writtenBy(bin: string, args: ShellWord[], positional: ShellWord[]): ShellWord[] {
  if (WRITES_ALL.has(bin) || bin === "tee") return positional;
  if (WRITES_AFTER_FIRST.has(bin)) return positional.slice(1);
  if (WRITES_LAST.has(bin)) return positional.length >= 2 ? positional.slice(-1) : [];
  if (
    (bin === "sed" || bin === "perl") &&
    args.some((a) => /^-[a-zA-Z]*i/.test(a.text) || a.text.startsWith("--in-place"))
  )
    return args.some((a) => a.text === "-e") ? positional : positional.slice(1);
  if (bin === "dd")
    return args
      .filter((a) => a.text.startsWith("of="))
      .map((a) => ({ ...a, text: a.text.slice(3) }));
  return [];
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
