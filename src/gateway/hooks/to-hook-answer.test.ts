import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { LeashReply } from "./ask-leash.js";
import type { MappedCall } from "./leash-request.js";
import { parseHookInput } from "./parse-hook-input.js";
import { toHookAnswer } from "./to-hook-answer.js";
import { toHookVerdict } from "./to-hook-verdict.js";

const allow = { allow: true, reason: "leash allowed it" };
const deny = { allow: false, reason: "leash denied it" };

describe("toHookAnswer", () => {
  const cases: { name: string; answer: ReturnType<typeof toHookAnswer>; stdout: unknown }[] = [
    {
      name: "Claude PreToolUse allow",
      answer: toHookAnswer("claude", "pre", allow),
      stdout: {
        hookSpecificOutput: {
          hookEventName: "PreToolUse",
          permissionDecision: "allow",
          permissionDecisionReason: "leash allowed it",
        },
      },
    },
    {
      name: "Claude PreToolUse deny",
      answer: toHookAnswer("claude", "pre", deny),
      stdout: {
        hookSpecificOutput: {
          hookEventName: "PreToolUse",
          permissionDecision: "deny",
          permissionDecisionReason: "leash denied it",
        },
      },
    },
    {
      name: "Claude PermissionRequest allow",
      answer: toHookAnswer("claude", "permission", allow),
      stdout: {
        hookSpecificOutput: { hookEventName: "PermissionRequest", decision: { behavior: "allow" } },
      },
    },
    {
      name: "Claude PermissionRequest deny",
      answer: toHookAnswer("claude", "permission", deny),
      stdout: {
        hookSpecificOutput: {
          hookEventName: "PermissionRequest",
          decision: { behavior: "deny", message: "leash denied it" },
        },
      },
    },
    {
      name: "Codex PreToolUse allow prints nothing",
      answer: toHookAnswer("codex", "pre", allow),
      stdout: "",
    },
    {
      name: "Codex PreToolUse deny",
      answer: toHookAnswer("codex", "pre", deny),
      stdout: {
        hookSpecificOutput: {
          hookEventName: "PreToolUse",
          permissionDecision: "deny",
          permissionDecisionReason: "leash denied it",
        },
      },
    },
    {
      name: "Copilot preToolUse allow",
      answer: toHookAnswer("copilot", "pre", allow),
      stdout: { permissionDecision: "allow", permissionDecisionReason: "leash allowed it" },
    },
    {
      name: "Copilot preToolUse deny",
      answer: toHookAnswer("copilot", "pre", deny),
      stdout: { permissionDecision: "deny", permissionDecisionReason: "leash denied it" },
    },
    { name: "PostToolUse never blocks", answer: toHookAnswer("claude", "post", deny), stdout: "" },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(c.answer.exitCode, 0);
      assert.deepEqual(c.answer.stdout === "" ? "" : JSON.parse(c.answer.stdout), c.stdout);
      assert.ok(!c.answer.stdout.includes('"ask"'));
    });
  }
});

describe("toHookVerdict", () => {
  const mapped: MappedCall = {
    requests: [
      { action: "command.run", resource: { type: "Path", id: ".", attrs: {} }, context: {} },
      {
        action: "code.write",
        resource: { type: "Branch", id: "refs/heads/main", attrs: {} },
        context: {},
      },
    ],
    denials: [],
  };
  const answers = (second: "allow" | "deny"): LeashReply => ({
    kind: "answers",
    answers: [
      { decision: "allow", decisionId: "dec_1", reasons: [] },
      {
        decision: second,
        decisionId: "dec_2",
        reasons: [{ code: "protected_branch", message: "main is protected" }],
      },
    ],
  });
  it("allows only when leash allowed every request", () => {
    assert.equal(toHookVerdict(mapped, answers("allow")).allow, true);
    const v = toHookVerdict(mapped, answers("deny"));
    assert.equal(v.allow, false);
    assert.match(
      v.reason,
      /code\.write on Branch refs\/heads\/main: protected_branch: main is protected \(decision dec_2\)/,
    );
  });
  it("denies what the hook refused even when leash allowed", () => {
    const v = toHookVerdict(
      { ...mapped, denials: [{ code: "outside_workspace", message: "x" }] },
      answers("allow"),
    );
    assert.equal(v.allow, false);
    assert.match(v.reason, /outside_workspace/);
  });
  it("denies when leash could not be asked", () => {
    const v = toHookVerdict(mapped, { kind: "unreachable", message: "ECONNREFUSED" });
    assert.equal(v.allow, false);
    assert.match(v.reason, /leash_unreachable/);
  });
});

describe("parseHookInput", () => {
  const cases: {
    name: string;
    agent: "claude" | "codex" | "copilot";
    raw: string;
    event?: string;
    expect: Record<string, unknown>;
  }[] = [
    {
      name: "Claude PreToolUse",
      agent: "claude",
      raw: JSON.stringify({
        hook_event_name: "PreToolUse",
        tool_name: "Bash",
        tool_input: { command: "ls" },
        cwd: "/w",
      }),
      expect: { kind: "tool", phase: "pre", tool: "Bash", cwd: "/w" },
    },
    {
      name: "Claude PermissionRequest",
      agent: "claude",
      raw: JSON.stringify({
        hook_event_name: "PermissionRequest",
        tool_name: "Bash",
        tool_input: {},
      }),
      expect: { kind: "tool", phase: "permission" },
    },
    {
      name: "Claude PostToolUse",
      agent: "claude",
      raw: JSON.stringify({ hook_event_name: "PostToolUse", tool_name: "Bash", tool_input: {} }),
      expect: { kind: "tool", phase: "post" },
    },
    {
      name: "Claude Stop is not a tool call",
      agent: "claude",
      raw: JSON.stringify({ hook_event_name: "Stop" }),
      expect: { kind: "tool", phase: "other" },
    },
    {
      name: "Copilot toolArgs string",
      agent: "copilot",
      raw: JSON.stringify({ toolName: "bash", toolArgs: '{"command":"ls"}', cwd: "/w" }),
      expect: { kind: "tool", phase: "pre", tool: "bash" },
    },
    {
      name: "Copilot postToolUse by its toolResult",
      agent: "copilot",
      raw: JSON.stringify({
        toolName: "bash",
        toolArgs: "{}",
        toolResult: { resultType: "success" },
      }),
      expect: { kind: "tool", phase: "post" },
    },
    {
      name: "--event overrides",
      agent: "copilot",
      raw: JSON.stringify({ toolName: "bash", toolArgs: "{}" }),
      event: "postToolUse",
      expect: { kind: "tool", phase: "post" },
    },
    { name: "not JSON", agent: "claude", raw: "{nope", expect: { kind: "invalid", phase: "pre" } },
    {
      name: "no tool",
      agent: "codex",
      raw: JSON.stringify({ hook_event_name: "PreToolUse" }),
      expect: { kind: "invalid", phase: "pre" },
    },
    {
      name: "unreadable toolArgs",
      agent: "copilot",
      raw: JSON.stringify({ toolName: "bash", toolArgs: "{x" }),
      expect: { kind: "invalid" },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const e = parseHookInput(c.agent, c.raw, c.event) as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(c.expect)) assert.equal(e[k], v, k);
    });
  }
  it("reads Copilot's arguments as an object", () => {
    const e = parseHookInput(
      "copilot",
      JSON.stringify({ toolName: "edit", toolArgs: '{"path":"a.ts"}' }),
    );
    assert.deepEqual(e.kind === "tool" ? e.input : null, { path: "a.ts" });
  });
});
