import type { Agent, HookPhase } from "./parse-hook-input.js";
import type { HookVerdict } from "./to-hook-verdict.js";

/** What the hook process prints and exits with. */
export interface HookAnswer {
  stdout: string;
  exitCode: number;
}

/**
 * The verdict in the agent's own format, always with exit 0 (a crashing or non-zero hook is
 * a non-blocking error for Claude Code and Codex: the call would go ahead).
 * - Claude Code PreToolUse: `hookSpecificOutput.permissionDecision` allow|deny + reason.
 * - Claude Code and Codex PermissionRequest: `hookSpecificOutput.decision.behavior` allow|deny.
 * - Codex PreToolUse: the deny shape; an allow prints nothing (Codex refuses
 *   `permissionDecision: "allow"` without `updatedInput`).
 * - Copilot preToolUse: `{ permissionDecision, permissionDecisionReason }`.
 * - PostToolUse (every agent) and other events: recorded, never blocked: prints nothing.
 */
export function toHookAnswer(agent: Agent, phase: HookPhase, v: HookVerdict): HookAnswer {
  if (phase === "post" || phase === "other") return { stdout: "", exitCode: 0 };
  if (phase === "permission") return json(permission(agent, v));
  if (agent === "copilot")
    return json({
      permissionDecision: v.allow ? "allow" : "deny",
      permissionDecisionReason: v.reason,
    });
  if (agent === "codex" && v.allow) return { stdout: "", exitCode: 0 };
  return json({
    hookSpecificOutput: {
      hookEventName: "PreToolUse",
      permissionDecision: v.allow ? "allow" : "deny",
      permissionDecisionReason: v.reason,
    },
  });
}

function permission(agent: Agent, v: HookVerdict): unknown {
  const decision = v.allow ? { behavior: "allow" } : { behavior: "deny", message: v.reason };
  // Copilot's permissionRequest output is documented only as `behavior`; the flat shape is our reading.
  if (agent === "copilot") return decision;
  return { hookSpecificOutput: { hookEventName: "PermissionRequest", decision } };
}

const json = (value: unknown): HookAnswer => ({
  stdout: `${JSON.stringify(value)}\n`,
  exitCode: 0,
});
