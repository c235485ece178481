/** The agents whose hook formats leash speaks. */
export const AGENTS = ["claude", "codex", "copilot"] as const;
export type Agent = (typeof AGENTS)[number];

/** Where in the agent's loop the hook runs. */
export type HookPhase = "pre" | "permission" | "post" | "other";

export type HookEvent =
  | {
      kind: "tool";
      phase: HookPhase;
      tool: string;
      input: Record<string, unknown>;
      cwd: string | undefined;
    }
  | { kind: "invalid"; phase: HookPhase; reason: string };

const PHASES: Record<string, HookPhase> = {
  pretooluse: "pre",
  permissionrequest: "permission",
  posttooluse: "post",
  posttoolusefailure: "post",
};

/**
 * Reads an agent's hook JSON: Claude Code and Codex send `hook_event_name`, `tool_name`,
 * `tool_input`, `cwd`; Copilot sends `toolName` and `toolArgs` (a JSON string), with
 * `toolResult` after the tool ran (newer Copilot CLIs also accept the Claude shape). Pure;
 * never throws: unreadable input is `invalid`, which the hook denies.
 */
export function parseHookInput(agent: Agent, raw: string, eventOverride?: string): HookEvent {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return {
      kind: "invalid",
      phase: phaseOf(eventOverride, "pre"),
      reason: "the hook input is not JSON",
    };
  }
  if (!v || typeof v !== "object" || Array.isArray(v))
    return {
      kind: "invalid",
      phase: phaseOf(eventOverride, "pre"),
      reason: "the hook input is not a JSON object",
    };
  const b = v as Record<string, unknown>;
  const named = eventOverride ?? str(b["hook_event_name"]) ?? str(b["hookEventName"]);
  const fallback: HookPhase = agent === "copilot" && b["toolResult"] !== undefined ? "post" : "pre";
  const phase = phaseOf(named, fallback);
  const tool = str(b["tool_name"]) ?? str(b["toolName"]);
  if (phase === "other")
    return { kind: "tool", phase, tool: tool ?? "", input: {}, cwd: undefined };
  if (!tool) return { kind: "invalid", phase, reason: "the hook input names no tool" };
  const input = toInput(b["tool_input"] ?? b["toolArgs"]);
  if (input === null)
    return { kind: "invalid", phase, reason: `the arguments of ${tool} are not a JSON object` };
  return { kind: "tool", phase, tool, input, cwd: str(b["cwd"]) };
}

/** An unknown event (SessionStart, Stop, …) is not a tool call: nothing to decide. */
function phaseOf(name: string | undefined, fallback: HookPhase): HookPhase {
  if (name === undefined) return fallback;
  return PHASES[name.toLowerCase()] ?? "other";
}

function toInput(v: unknown): Record<string, unknown> | null {
  if (v === undefined || v === null) return {};
  if (typeof v === "string") {
    try {
      return toInput(JSON.parse(v));
    } catch {
      return null;
    }
  }
  return typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
