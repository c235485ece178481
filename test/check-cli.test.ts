/**
 * `leash check` end to end against a real leash, as README's GitHub Actions example runs it:
 * `leash check code.write --resource Branch:"$GITHUB_REF" --attr paths=src/app.ts`.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { runLeashCli } from "./support/cli.js";
import { useTestLeash } from "./support/test-leash.js";

const BRANCH = "Branch:refs/heads/agent/fix";

describe("leash check", () => {
  const live = useTestLeash();
  const env = async () => ({
    LEASH_URL: live.t.url,
    LEASH_CAPABILITY: String((await live.t.exchange("editing")).body["access_token"]),
  });

  /** The decision record leash wrote for a `--json` answer. */
  async function recorded(out: string): Promise<Record<string, unknown>> {
    const id = String(JSON.parse(out).decision_id);
    const row = await live.t.leash.store.getDecision(id);
    assert.ok(row, `no record ${id}`);
    return JSON.parse(row.body);
  }

  test("one --attr paths=FILE is a list of one path: an ordinary edit is allowed", async () => {
    const run = await runLeashCli(
      ["check", "code.write", "--resource", BRANCH, "--attr", "paths=src/app.ts", "--json"],
      await env(),
    );
    assert.equal(run.code, 0, run.err);
    assert.equal(JSON.parse(run.out).decision, "allow");
    const record = await recorded(run.out);
    assert.deepEqual((record["resource"] as { attrs: unknown }).attrs, { paths: ["src/app.ts"] });
  });

  test("repeated --attr paths collect in order; a numeric file name stays text", async () => {
    const paths = ["--attr", "paths=src/a.ts", "--attr", "paths=1"];
    const run = await runLeashCli(
      ["check", "code.write", "--resource", BRANCH, ...paths, "--json"],
      await env(),
    );
    assert.equal(run.code, 0, run.err);
    const record = await recorded(run.out);
    assert.deepEqual((record["resource"] as { attrs: unknown }).attrs, {
      paths: ["src/a.ts", "1"],
    });
  });

  const denials: [string, string[], string][] = [
    [
      "one workflow path needs an admin approval",
      ["--resource", BRANCH, "--attr", "paths=.github/workflows/ci.yml"],
      "workflow_change_needs_approval",
    ],
    [
      "the default branch is never written",
      ["--resource", "Branch:refs/heads/main", "--attr", "paths=src/app.ts"],
      "protected_branch",
    ],
  ];
  for (const [what, args, reason] of denials) {
    test(`${what}: exit 1, reason ${reason}`, async () => {
      const run = await runLeashCli(["check", "code.write", ...args, "--json"], await env());
      assert.equal(run.code, 1);
      const body = JSON.parse(run.out);
      assert.equal(body.decision, "deny");
      assert.deepEqual(
        body.reasons.map((r: { code: string }) => r.code),
        [reason],
      );
    });
  }
});
