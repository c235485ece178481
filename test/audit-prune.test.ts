/**
 * `leash audit prune` on a real SQLite store through the real CLI: old records go (after an
 * export and a record of the prune), `leash audit verify` starts the chain at its anchoring
 * checkpoint, and a prefix deleted any other way — or "justified" by a forged prune record —
 * is still caught.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { computeChainHash, createAuditLog } from "../src/audit/index.js";
import { createManualClock } from "../src/clock/index.js";
import { loadConfig } from "../src/config/index.js";
import { openStore } from "../src/store/index.js";
import { openExampleLog, srvRecord } from "./support/example-log.js";

const DAY = 86_400_000;
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const record = srvRecord;

/**
 * A leash whose chain `srv` holds 25 records from 100 days ago (checkpoints at 10 and 20)
 * and 5 from yesterday (a checkpoint at 26, the first record after the 60-s checkpoint
 * interval had passed).
 */
async function oldLog() {
  const { dir, configFile, env, store, clock, log, cli, cliText, sql } = await openExampleLog(
    "leash-prune-",
    Date.now() - 100 * DAY,
  );
  dirs.push(dir);
  for (let i = 1; i <= 30; i++) {
    if (i === 26) clock.set(Date.now() - DAY);
    await log.append(record(i, clock.now()));
  }
  await store.close();
  return { dir, configFile, env, cli, cliText, sql };
}

test("prune exports, records and removes what is older than its last checkpoint; verify then starts there", async () => {
  const { dir, cli, cliText, sql } = await oldLog();
  assert.deepEqual(
    sql("SELECT seq FROM checkpoints WHERE chain = 'srv' ORDER BY seq").map((r) => r["seq"]),
    [10, 20, 26],
  );
  const run = await cli("audit", "prune", "--before", "90d", "--export", "old.jsonl");
  assert.equal(run.code, 0, run.err);
  const answer = JSON.parse(run.out);
  assert.deepEqual(answer.pruned, [{ chain: "srv", through_seq: 20, records: 20 }]);
  assert.equal(answer.records, 20);

  // What is left: records 21..30 and the checkpoint at 20 that anchors them.
  const left = sql("SELECT seq FROM decisions WHERE chain = 'srv' ORDER BY seq").map(
    (r) => r["seq"],
  );
  assert.deepEqual(left, [21, 22, 23, 24, 25, 26, 27, 28, 29, 30]);
  assert.deepEqual(
    sql("SELECT seq FROM checkpoints WHERE chain = 'srv' ORDER BY seq").map((r) => r["seq"]),
    [20, 26],
  );

  // The export holds every removed record, byte for byte what its hash covers, and the
  // checkpoints; its SHA-256 is what the prune record says.
  const file = join(dir, "old.jsonl");
  const text = readFileSync(file, "utf8");
  const lines = text
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  const records = lines.filter((l) => l.seq !== undefined);
  assert.deepEqual(
    records.map((r) => r.seq),
    Array.from({ length: 20 }, (_, i) => i + 1),
  );
  for (const r of records)
    assert.equal(computeChainHash(r.chain, r.seq, r.prev_hash, r.body), r.hash);
  assert.deepEqual(
    lines.filter((l) => l.checkpoint).map((l) => l.checkpoint.seq),
    [10, 20],
  );
  const sha256 = createHash("sha256").update(text).digest("hex");
  assert.equal(answer.export.sha256, sha256);

  const recorded = await cli("audit", "query", "--decision", answer.decision_id);
  const prune = JSON.parse(recorded.out);
  assert.equal(prune.type, "admin");
  assert.equal(prune.action, "audit.prune");
  assert.deepEqual(prune.detail.anchors, { srv: 20 });
  assert.equal(prune.detail.export.sha256, sha256);

  const verify = await cli("audit", "verify");
  assert.equal(verify.code, 0, verify.out);
  const srv = JSON.parse(verify.out).chains.find((c: { chain: string }) => c.chain === "srv");
  assert.deepEqual(
    { records: srv.records, prunedThrough: srv.prunedThrough, lastSeq: srv.lastSeq },
    { records: 10, prunedThrough: 20, lastSeq: 30 },
  );
  const shown = (await cliText("audit", "verify")).out;
  assert.match(shown, /^chain srv: 10 records \(from record 21: pruned before\), 2 checkpoints$/m);
  assert.match(shown, /^audit log intact$/m);

  // Nothing older than 90 days is left to prune.
  const again = await cli("audit", "prune", "--before", "90d", "--no-export");
  assert.equal(again.code, 0, again.err);
  assert.equal(JSON.parse(again.out).records, 0);
});

test("a prefix deleted beyond what a prune recorded is caught by verify", async () => {
  const { cli, sql } = await oldLog();
  assert.equal((await cli("audit", "prune", "--before", "90d", "--no-export")).code, 0);
  sql("DELETE FROM decisions WHERE chain = 'srv' AND seq = 21");
  const verify = await cli("audit", "verify");
  assert.equal(verify.code, 1, verify.out);
  const { problem } = JSON.parse(verify.out);
  assert.equal(problem.chain, "srv");
  assert.match(problem.what, /no signed checkpoint anchors/);
});

test("a forged prune record after the last checkpoint justifies nothing", async () => {
  const { configFile, sql, cli } = await oldLog();
  // Someone who can write the database appends a prune record of their own (they can't sign
  // a checkpoint over it), then deletes the chain up to its checkpoint at 26.
  const store = await openStore(loadConfig(configFile).store);
  try {
    const forged = await createAuditLog({
      store,
      chain: "forger-cli",
      clock: createManualClock(Date.now()),
      checkpointEveryRecords: 1_000_000,
      signer: {
        kid: () => "none",
        privateKey: () => {
          throw new Error("the forger has no key");
        },
      },
    });
    await forged.append({
      ...record(1, Date.now()),
      decision_id: "dec_forged",
      type: "admin",
      action: "audit.prune",
      detail: { anchors: { srv: 30 } },
    });
    await forged.flush();
    await store.pruneChain("srv", 26);
  } finally {
    await store.close();
  }
  assert.equal(sql("SELECT count(*) AS n FROM decisions WHERE chain = 'srv'")[0]?.["n"], 4);
  const verify = await cli("audit", "verify");
  assert.equal(verify.code, 1, verify.out);
  const { problem } = JSON.parse(verify.out);
  assert.equal(problem.chain, "srv");
  assert.match(problem.what, /no recorded audit prune covers them/);
});

test("prune refuses a log that does not verify, and changes nothing", async () => {
  const { dir, cli, sql } = await oldLog();
  sql(`UPDATE decisions SET body = replace(body, '"allow"', '"deny"') WHERE seq = 5`);
  const run = await cli("audit", "prune", "--before", "90d", "--export", "old.jsonl");
  assert.equal(run.code, 1, run.out);
  assert.match(run.err, /refusing to prune: the log does not verify \(chain srv, record 5/);
  assert.equal(sql("SELECT count(*) AS n FROM decisions")[0]?.["n"], 30);
  assert.equal(existsSync(join(dir, "old.jsonl")), false);
});

const usage: [string, string[]][] = [
  ["no --before", ["--no-export"]],
  ["neither --export nor --no-export", ["--before", "90d"]],
  ["both --export and --no-export", ["--before", "90d", "--export", "x.jsonl", "--no-export"]],
  ["an export file that exists", ["--before", "90d", "--export", "exists.jsonl"]],
];
for (const [what, args] of usage) {
  test(`prune with ${what} is a usage error (exit 2) and removes nothing`, async () => {
    const { dir, cli, sql } = await oldLog();
    writeFileSync(join(dir, "exists.jsonl"), "keep me\n");
    const run = await cli("audit", "prune", ...args);
    assert.equal(run.code, 2, run.err);
    assert.equal(sql("SELECT count(*) AS n FROM decisions")[0]?.["n"], 30);
    assert.equal(readFileSync(join(dir, "exists.jsonl"), "utf8"), "keep me\n");
  });
}
