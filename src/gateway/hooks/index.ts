/**
 * @module gateway/hooks
 * `leash hook claude|codex|copilot`: reads an agent's tool-call hook JSON, maps the call to
 * leash requests (git push → code.write per ref, file edits → code.write on the job's ref
 * with workspace paths, fetches and installs → network.egress, credential reads →
 * secret.read, local commands → command.run, unknown tools → tool.use), asks leash about all
 * of them in one round trip and answers in the agent's own format. Runs on every tool call,
 * so it imports only node built-ins, its own small modules and the control-path list (by
 * path, src/policy/control-paths.ts: never the policy index, which loads the Cedar engine).
 * Must never answer "ask", never allow what leash did not decide, and never put the
 * capability in a message: anything it can't decide is a deny.
 */

export type { LeashAnswer, LeashReply } from "./ask-leash.js";
export { askLeash } from "./ask-leash.js";
export type { PathScope, WriteTarget } from "./classify-path.js";
export { isControlPath, toSecretName, toWorkspacePath, toWriteTarget } from "./classify-path.js";
export type { LeashRequest, LocalDenial, MappedCall, MappingContext } from "./leash-request.js";
export type { ToolCall } from "./map-tool-call.js";
export { mapToolCall } from "./map-tool-call.js";
export type { GitPush, PushTarget } from "./parse-git-push.js";
export { parseGitPush } from "./parse-git-push.js";
export type { Agent, HookEvent, HookPhase } from "./parse-hook-input.js";
export { AGENTS, parseHookInput } from "./parse-hook-input.js";
export type {
  ParsedShell,
  ShellRedirect,
  ShellWord,
  SimpleCommand,
} from "./parse-shell-command.js";
export { parseShellCommand } from "./parse-shell-command.js";
export type { CapabilityClaims } from "./read-capability-claims.js";
export { readCapabilityClaims } from "./read-capability-claims.js";
export type { GitHead } from "./read-git-head.js";
export { readGitHead } from "./read-git-head.js";
export type { RunHookOptions } from "./run-hook.js";
export { runHook } from "./run-hook.js";
export type { HookAnswer } from "./to-hook-answer.js";
export { toHookAnswer } from "./to-hook-answer.js";
export type { HookVerdict } from "./to-hook-verdict.js";
export { toHookVerdict } from "./to-hook-verdict.js";
