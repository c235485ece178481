import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { askLeash, type LeashReply } from "./ask-leash.js";
import { type MappedCall, type MappingContext, toolUse } from "./leash-request.js";
import { mapToolCall } from "./map-tool-call.js";
import { type Agent, type HookEvent, parseHookInput } from "./parse-hook-input.js";
import { readCapabilityClaims } from "./read-capability-claims.js";
import { readGitHead } from "./read-git-head.js";
import { type HookAnswer, toHookAnswer } from "./to-hook-answer.js";
import { toHookVerdict } from "./to-hook-verdict.js";

export interface RunHookOptions {
  agent: Agent;
  /** The hook JSON the agent wrote on stdin. */
  stdin: string;
  env: Readonly<Record<string, string | undefined>>;
  /** The hook process's working directory (used when the input carries no cwd). */
  cwd: string;
  /** Overrides the event the input names (`--event`), e.g. for Copilot's postToolUse. */
  event?: string | undefined;
  /** The workspace root (`--workspace`); else LEASH_WORKSPACE, CLAUDE_PROJECT_DIR, GITHUB_WORKSPACE, the git root. */
  workspace?: string | undefined;
  timeoutMs: number;
}

/**
 * One hook invocation: read the agent's tool call, map it to leash requests, ask leash
 * about all of them in one round trip, answer in the agent's format. Every tool call goes to
 * leash, local ones too, so each is decided and recorded there. Fails closed: no server, no
 * capability, unreadable input or no answer is a deny; PostToolUse is reported
 * (`tool.report`) and never blocked. Never throws.
 */
export async function runHook(opts: RunHookOptions): Promise<HookAnswer> {
  const event = parseHookInput(opts.agent, opts.stdin, opts.event);
  if (event.phase === "other")
    return toHookAnswer(opts.agent, "other", { allow: true, reason: "" });
  const deny = (reason: string) => toHookAnswer(opts.agent, event.phase, { allow: false, reason });
  const server = opts.env["LEASH_URL"];
  const capability = opts.env["LEASH_CAPABILITY"];
  if (!server || !capability)
    return deny(
      "leash hook: leash_unreachable: LEASH_URL and LEASH_CAPABILITY must be set (run the agent under leash exec); denied",
    );
  try {
    const mapped = toMappedCall(event, opts, capability);
    const requests =
      event.phase === "post"
        ? mapped.requests.map((r) => ({ ...r, action: "tool.report" }))
        : mapped.requests;
    const reply: LeashReply = await askLeash(server, capability, requests, opts.timeoutMs);
    if (event.phase === "post")
      return toHookAnswer(opts.agent, "post", { allow: true, reason: "" });
    return toHookAnswer(opts.agent, event.phase, toHookVerdict(mapped, reply));
  } catch (err) {
    return deny(
      `leash hook: internal error (${err instanceof Error ? err.name : "unknown"}); denied`,
    );
  }
}

function toMappedCall(event: HookEvent, opts: RunHookOptions, capability: string): MappedCall {
  if (event.kind === "invalid")
    return {
      requests: [toolUse("(unreadable hook input)")],
      denials: [{ code: "hook_input_invalid", message: event.reason }],
    };
  const ctx = toMappingContext(event.cwd ?? opts.cwd, opts, capability);
  return mapToolCall({ tool: event.tool, input: event.input }, ctx);
}

function toMappingContext(
  cwdRaw: string,
  opts: RunHookOptions,
  capability: string,
): MappingContext {
  const env = opts.env;
  const cwd = resolve(opts.cwd, cwdRaw);
  const head = readGitHead(cwd);
  const named =
    opts.workspace ??
    env["LEASH_WORKSPACE"] ??
    env["CLAUDE_PROJECT_DIR"] ??
    env["GITHUB_WORKSPACE"];
  const workspace = named ? resolve(opts.cwd, named) : (head?.root ?? cwd);
  const claims = readCapabilityClaims(capability);
  const temp = [env["TMPDIR"], env["RUNNER_TEMP"], "/tmp"].filter(
    (t): t is string => !!t && isAbsolute(t),
  );
  return {
    workspace,
    cwd,
    home: env["HOME"] ?? homedir(),
    tempDirs: temp.map((t) => resolve(t)),
    jobRef: claims.ref,
    repository: claims.repository,
    currentBranch: head?.branch,
    readPackageName: () => readPackageName(workspace),
  };
}

function readPackageName(workspace: string): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(join(workspace, "package.json"), "utf8")) as {
      name?: unknown;
    };
    return typeof pkg.name === "string" ? pkg.name : undefined;
  } catch {
    return undefined;
  }
}
