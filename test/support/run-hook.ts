import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The installed CLI of this checkout. */
export const LEASH_BIN = join(
  fileURLToPath(new URL("../../../", import.meta.url)),
  "bin",
  "leash.cjs",
);

export interface HookRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the installed CLI as the agent would: `leash hook AGENT` with the hook JSON on stdin. */
export function runHook(
  agent: string,
  input: unknown,
  env: Record<string, string>,
  args: string[] = [],
  bin: string = LEASH_BIN,
): Promise<HookRun> {
  const child = spawn(process.execPath, [bin, "hook", agent, ...args], {
    env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  child.stdin.end(typeof input === "string" ? input : JSON.stringify(input));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

/** Claude Code's PreToolUse answer: decision and reason. */
export function claudeDecision(run: HookRun): { decision: string; reason: string } {
  assert.equal(run.code, 0, run.stderr);
  const out = JSON.parse(run.stdout) as {
    hookSpecificOutput: {
      hookEventName: string;
      permissionDecision: string;
      permissionDecisionReason: string;
    };
  };
  assert.equal(out.hookSpecificOutput.hookEventName, "PreToolUse");
  return {
    decision: out.hookSpecificOutput.permissionDecision,
    reason: out.hookSpecificOutput.permissionDecisionReason,
  };
}
