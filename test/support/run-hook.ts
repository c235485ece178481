import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The installed CLI of this checkout. */
export const LEASH_BIN = join(
  fileURLToPath(new URL("../../../", import.meta.url)),
  "bin",
  "leash.cjs",
);

/**
 * A scratch directory with a workspace `app` checked out on `agent/fix` (only `.git/HEAD`:
 * the hook reads the branch from it), and the environment `leash hook` reads there.
 */
export function makeHookWorkspace(
  prefix: string,
  leashUrl: string,
  capability: string,
): { dir: string; ws: string; env: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const ws = join(dir, "app");
  mkdirSync(join(ws, ".git"), { recursive: true });
  writeFileSync(join(ws, ".git", "HEAD"), "ref: refs/heads/agent/fix\n");
  const env = {
    PATH: process.env["PATH"] ?? "/usr/bin:/bin",
    HOME: join(dir, "home"),
    LEASH_URL: leashUrl,
    LEASH_CAPABILITY: capability,
    LEASH_WORKSPACE: ws,
  };
  return { dir, ws, env };
}

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
