/**
 * `leash keys` offline against an embedded store, through the real CLI entry (`main`): a
 * rotation makes a new key current, keeps the old one published, and is recorded in the
 * decision log on a chain of its own, covered by a signed checkpoint.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import Database from "better-sqlite3";
import { runLeashCli, writeExampleConfig } from "./support/cli.js";

describe("leash keys rotate", () => {
  const dir = mkdtempSync(join(tmpdir(), "leash-keys-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const configFile = writeExampleConfig(dir);
  const masterKey = randomBytes(32).toString("base64");
  const env = { LEASH_MASTER_KEY: masterKey };
  const cli = (...argv: string[]) => runLeashCli([...argv, "--config", configFile, "--json"], env);
  let decisionId = "";

  test("a rotation makes a new key current, keeps the old one published, and is recorded", async () => {
    const before = await cli("keys", "list");
    assert.equal(before.code, 0, before.err);
    const [first] = JSON.parse(before.out).keys as { kid: string }[];

    const rotated = await cli("keys", "rotate");
    assert.equal(rotated.code, 0, rotated.err);
    const answer = JSON.parse(rotated.out) as {
      rotated: boolean;
      kid: string;
      decision_id: string;
    };
    assert.equal(answer.rotated, true);
    assert.notEqual(answer.kid, first?.kid);
    decisionId = answer.decision_id;

    const after = JSON.parse((await cli("keys", "list")).out).keys as {
      kid: string;
      retired_at: string | null;
    }[];
    assert.deepEqual(
      after.map((k) => [k.kid, k.retired_at === null]),
      [
        [first?.kid, false],
        [answer.kid, true],
      ],
    );

    const recorded = await cli("audit", "query", "--decision", decisionId);
    assert.equal(recorded.code, 0, recorded.err);
    const record = JSON.parse(recorded.out.trim());
    assert.equal(record.type, "admin");
    assert.equal(record.result, "allow");
    assert.equal(record.action, "keys.rotate");
    assert.equal(record.principal.zone, "admin");
    assert.equal(record.principal.via, "cli");
    assert.deepEqual(record.detail, { kid: answer.kid, previous_kid: first?.kid });
    assert.doesNotMatch(recorded.out, /PRIVATE|"d":/, "no key material in the record");

    const verify = await cli("audit", "verify");
    assert.equal(verify.code, 0, verify.out);
    const chains = JSON.parse(verify.out).chains as { chain: string; checkpoints: number }[];
    const cliChain = chains.find((c) => c.chain.endsWith("-cli"));
    assert.ok(cliChain, verify.out);
    assert.equal(cliChain.checkpoints, 1, "a signed checkpoint follows the record at once");
  });

  test("deleting the rotation's record is caught by audit verify (exit 1)", async () => {
    const db = new Database(join(dir, "state", "leash.db"));
    try {
      assert.equal(
        db.prepare("DELETE FROM decisions WHERE decision_id = ?").run(decisionId).changes,
        1,
      );
    } finally {
      db.close();
    }
    const verify = await cli("audit", "verify");
    assert.equal(verify.code, 1, verify.out);
    const result = JSON.parse(verify.out) as { ok: boolean; problem: { chain: string } };
    assert.equal(result.ok, false);
    assert.match(result.problem.chain, /-cli$/);
  });
});
