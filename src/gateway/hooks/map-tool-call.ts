import { toAbsolutePath, toSecretName, toWorkspacePath, toWriteTarget } from "./classify-path.js";
import { findUrlHosts, UNKNOWN_HOST } from "./find-hosts.js";
import {
  commandRun,
  type MappedCall,
  MappedCallBuilder,
  type MappingContext,
  repoRead,
  secretRead,
  toolUse,
} from "./leash-request.js";
import {
  isAgentConfigPath,
  isGitControlPath,
  refuseAgentConfig,
  refuseGitDir,
  refuseOutside,
} from "./map-file-access.js";
import { mapMcpTool } from "./map-mcp-tool.js";
import { addEgress } from "./map-network-command.js";
import { mapShellCommand } from "./map-shell-command.js";
import { parseApplyPatch } from "./parse-apply-patch.js";

/** One tool call as an agent hook reports it. */
export interface ToolCall {
  /** The agent's tool name (Bash, Write, apply_patch, bash, edit, mcp__github__push_files, …). */
  tool: string;
  input: Record<string, unknown>;
}

type Input = Record<string, unknown>;
type Mapper = (input: Input, out: MappedCallBuilder, tool: string) => void;

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** Tools by lower-cased name, across Claude Code, Codex and Copilot. */
const TOOLS: Record<string, Mapper> = {
  bash: (i, out) => mapShellCommand(shellText(i["command"]), out, str(i["description"])),
  shell: (i, out) => mapShellCommand(shellText(i["command"]), out, str(i["description"])),
  exec_command: (i, out) => mapShellCommand(shellText(i["command"] ?? i["cmd"]), out, undefined),
  local_shell: (i, out) => mapShellCommand(shellText(i["command"]), out, undefined),
  write_bash: (i, out) => mapShellCommand(shellText(i["input"]), out, undefined),
  write: (i, out, t) => writePaths([i["file_path"] ?? i["path"]], out, t),
  edit: (i, out, t) => writePaths([i["file_path"] ?? i["path"]], out, t),
  multiedit: (i, out, t) => writePaths([i["file_path"]], out, t),
  notebookedit: (i, out, t) => writePaths([i["notebook_path"]], out, t),
  create: (i, out, t) => writePaths([i["path"] ?? i["file_path"]], out, t),
  str_replace_editor: (i, out, t) =>
    i["command"] === "view" ? readPath(i["path"], out) : writePaths([i["path"]], out, t),
  str_replace_based_edit_tool: (i, out, t) =>
    i["command"] === "view" ? readPath(i["path"], out) : writePaths([i["path"]], out, t),
  apply_patch: (i, out, t) =>
    writePaths(
      parseApplyPatch(shellText(i["command"] ?? i["input"] ?? i["patch"] ?? i["content"])),
      out,
      t,
    ),
  read: (i, out) => readPath(i["file_path"] ?? i["path"], out),
  view: (i, out) => readPath(i["path"] ?? i["file_path"], out),
  notebookread: (i, out) => readPath(i["notebook_path"], out),
  glob: (i, out) => readPath(i["path"] ?? ".", out),
  grep: (i, out) => readPath(i["path"] ?? ".", out),
  ls: (i, out) => readPath(i["path"] ?? ".", out),
  webfetch: (i, out) => fetchUrl(i["url"], out),
  web_fetch: (i, out) => fetchUrl(i["url"], out),
};

/** The agent's own bookkeeping: nothing leaves the job, so each is a local run. */
const INTERNAL = new Set([
  "todowrite",
  "task",
  "agent",
  "exitplanmode",
  "bashoutput",
  "killshell",
  "killbash",
  "slashcommand",
  "skill",
  "think",
  "report_intent",
  "update_todo",
  "read_bash",
  "stop_bash",
  "update_plan",
]);

/**
 * Maps one agent tool call to the leash requests that decide it, plus what the hook refuses
 * on its own (writes outside the workspace, tool calls leash has no mapping for). Pure
 * apart from `ctx.readPackageName`; never throws on odd input: what it can't read is denied.
 */
export function mapToolCall(call: ToolCall, ctx: MappingContext): MappedCall {
  const out = new MappedCallBuilder(ctx);
  const key = call.tool.toLowerCase();
  const mcp = /^mcp__(.+?)__(.+)$/.exec(call.tool);
  if (mcp) {
    if (!mapMcpTool(call.tool, mcp[1] as string, mcp[2] as string, call.input, out))
      notMapped(call.tool, out);
  } else if (TOOLS[key]) (TOOLS[key] as Mapper)(call.input, out, call.tool);
  else if (INTERNAL.has(key)) out.add(commandRun(toWorkspacePath(ctx.cwd, ctx) ?? ctx.cwd));
  else notMapped(call.tool, out);
  if (out.requests.length === 0) notMapped(call.tool, out);
  return out.result();
}

function notMapped(tool: string, out: MappedCallBuilder): void {
  out.deny(
    "tool_not_mapped",
    `leash has no mapping for tool ${tool}, so it can't tell what the call touches`,
    toolUse(tool),
  );
}

/** A shell command as a string; Codex may pass argv (`["bash", "-lc", "…"]`). */
function shellText(v: unknown): string {
  if (typeof v === "string") return v;
  if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) return "";
  const argv = v as string[];
  if (
    argv.length === 3 &&
    /(^|\/)(ba|z|da)?sh$/.test(argv[0] as string) &&
    /^-l?c$/.test(argv[1] as string)
  )
    return argv[2] as string;
  return argv
    .map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`))
    .join(" ");
}

function writePaths(raw: unknown[], out: MappedCallBuilder, tool: string): void {
  const paths = raw.filter((p): p is string => typeof p === "string" && p !== "");
  const inside: string[] = [];
  for (const p of paths) {
    const t = toWriteTarget(p, out.ctx);
    if (t.kind === "git-dir" && isGitControlPath(t.path)) refuseGitDir(t.path, tool, out);
    else if (t.kind === "workspace" && isAgentConfigPath(t.path))
      refuseAgentConfig(t.path, tool, out);
    else if (t.kind === "workspace" || t.kind === "git-dir") inside.push(t.path);
    else if (t.kind === "outside") refuseOutside(t.path, tool, out);
    else out.add(commandRun(toAbsolutePath(p, out.ctx))); // scratch space or a device
  }
  out.write({ paths: inside, unresolved: [] }, tool);
}

function readPath(raw: unknown, out: MappedCallBuilder): void {
  if (typeof raw !== "string" || raw === "") return;
  const abs = toAbsolutePath(raw, out.ctx);
  const secret = toSecretName(abs, out.ctx);
  out.add(secret ? secretRead(secret, undefined) : repoRead(toWorkspacePath(abs, out.ctx) ?? abs));
}

function fetchUrl(url: unknown, out: MappedCallBuilder): void {
  const hosts = typeof url === "string" ? findUrlHosts(url) : [];
  addEgress(hosts.length > 0 ? hosts : [UNKNOWN_HOST], out);
  if (out.requests.length === 0) out.add(commandRun(".")); // loopback: a local call
}
