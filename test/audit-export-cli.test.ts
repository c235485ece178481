/**
 * `leash audit export` and `leash audit query` over a real SQLite store: an export writes every
 * record of the window, past the 100,000 rows one store read returns; a query shows its first
 * --limit records; a --limit that is not a whole number is a usage error.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { loadConfig } from "../src/config/index.js";
import { type DecisionRow, openStore } from "../src/store/index.js";
import { runLeashCli, writeExampleConfig } from "./support/cli.js";

/** More than one store read (100,000 rows) returns. */
const RECORDS = 100_005;

/** Minimal rows: export copies bodies as stored, and nothing here verifies the chain. */
function rows(chain: string, fromSeq: number, count: number, timeMs: number): DecisionRow[] {
  return Array.from({ length: count }, (_, i) => {
    const seq = fromSeq + i;
    const decisionId = `dec_${chain}_${seq}`;
    return {
      chain,
      seq,
      decisionId,
      timeMs,
      type: "authorize",
      result: "allow",
      action: "repo.read",
      repositoryId: "74",
      capabilityId: null,
      body: JSON.stringify({ decision_id: decisionId }),
      prevHash: "0".repeat(64),
      hash: "0".repeat(64),
    };
  });
}

describe("leash audit export / query", () => {
  const dir = mkdtempSync(join(tmpdir(), "leash-audit-export-"));
  const configFile = writeExampleConfig(dir);
  const cli = (...argv: string[]) => runLeashCli([...argv, "--config", configFile], {});
  const ids = (out: string) =>
    out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).decision_id);

  before(async () => {
    const store = await openStore(loadConfig(configFile).store);
    try {
      const now = Date.now();
      for (let seq = 1; seq <= RECORDS; seq += 20_000)
        await store.appendDecisions(rows("default", seq, Math.min(20_000, RECORDS - seq + 1), now));
      await store.appendDecisions(rows("default-cli", 1, 2, now));
    } finally {
      await store.close();
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("export writes every record of every chain, in chain and sequence order", async () => {
    const run = await cli("audit", "export", "--format", "jsonl", "--since", "1h");
    assert.equal(run.code, 0, run.err);
    const got = ids(run.out);
    assert.equal(got.length, RECORDS + 2);
    assert.deepEqual(got.slice(0, 2), ["dec_default_1", "dec_default_2"]);
    assert.deepEqual(got.slice(-3), [
      `dec_default_${RECORDS}`,
      "dec_default-cli_1",
      "dec_default-cli_2",
    ]);
  });

  test("export --limit N stops after N records", async () => {
    const run = await cli("audit", "export", "--format", "jsonl", "--limit", "3");
    assert.equal(run.code, 0, run.err);
    assert.deepEqual(ids(run.out), ["dec_default_1", "dec_default_2", "dec_default_3"]);
  });

  test("query --json shows the first 50 records unless --limit says otherwise", async () => {
    const byDefault = await cli("audit", "query", "--json");
    assert.equal(byDefault.code, 0, byDefault.err);
    assert.equal(ids(byDefault.out).length, 50);
    const two = await cli("audit", "query", "--json", "--limit", "2");
    assert.deepEqual(ids(two.out), ["dec_default_1", "dec_default_2"]);
  });

  for (const limit of ["abc", "0", "1.5"]) {
    test(`--limit ${limit}: exit 2, nothing on stdout`, async () => {
      const run = await cli("audit", "query", "--limit", limit);
      assert.equal(run.code, 2, run.err);
      assert.equal(run.out, "");
    });
  }
});
