/**
 * `leash policy reload` against a real leash: what it prints with and without `--json`, and
 * the refusal without the admin token.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { runLeashCli } from "./support/cli.js";
import { ADMIN_TOKEN, useTestLeash } from "./support/test-leash.js";

describe("leash policy reload", () => {
  const live = useTestLeash();
  const reload = (extra: string[], adminToken: string) =>
    runLeashCli(["policy", "reload", "--server", live.t.url, ...extra], {
      LEASH_ADMIN_TOKEN: adminToken,
    });

  test("--json prints the server's answer: the digest of the set now in force", async () => {
    const run = await reload(["--json"], ADMIN_TOKEN);
    assert.equal(run.code, 0, run.err);
    const body = JSON.parse(run.out);
    assert.equal(body.reloaded, true);
    assert.equal(body.policy_set_digest, live.t.leash.policy.active.digest);
  });

  test("without --json, one line naming the digest", async () => {
    const run = await reload([], ADMIN_TOKEN);
    assert.equal(run.code, 0, run.err);
    assert.equal(run.out, `reloaded: ${live.t.leash.policy.active.digest}\n`);
  });

  test("a wrong admin token: exit 1, ERR_ADMIN_UNAUTHENTICATED in the --json answer", async () => {
    const run = await reload(["--json"], "lsa_wrong");
    assert.equal(run.code, 1);
    assert.equal(JSON.parse(run.out).code, "ERR_ADMIN_UNAUTHENTICATED");
  });
});
