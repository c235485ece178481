import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, test } from "node:test";
import Database from "better-sqlite3";
import { createKeyRing } from "../capability/index.js";
import { createManualClock } from "../clock/index.js";
import { type DecisionRow, openSqliteStore, type Store } from "../store/index.js";
import { GENESIS_HASH } from "./chain-hash.js";
import { createAuditLog, toRow } from "./create-audit-log.js";
import type { DecisionRecord } from "./decision-record.js";
import { verifyAuditLog } from "./verify-audit-log.js";

let dir: string;
let dbPath: string;
let store: Store;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "leash-audit-"));
  dbPath = join(dir, "leash.db");
  store = openSqliteStore(dbPath);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const record = (i: number): DecisionRecord => ({
  decision_id: `dec_${i}`,
  timestamp: new Date(1_800_000_000_000 + i).toISOString(),
  type: "authorize",
  result: i % 3 === 0 ? "deny" : "allow",
  action: "code.write",
  latency_ms: 0.1,
});

/** Leash's log of chain "a" on the test store, checkpoints signed by its key ring. */
async function openLog(
  startMs: number,
  checkpointEveryRecords?: number,
  checkpointEveryMs?: number,
) {
  const clock = createManualClock(startMs);
  const ring = createKeyRing({ store, kek: Buffer.alloc(32, 7), clock });
  await ring.load();
  return createAuditLog({
    store,
    chain: "a",
    clock,
    ...(checkpointEveryRecords === undefined ? {} : { checkpointEveryRecords }),
    ...(checkpointEveryMs === undefined ? {} : { checkpointEveryMs }),
    signer: { kid: () => ring.current().kid, privateKey: () => ring.current().privateKey },
  });
}

/** Writes `n` records with a checkpoint every `every`, then closes the store so raw SQL can tamper. */
async function writeLog(n: number, every: number) {
  const log = await openLog(1_800_000_000_000, every);
  // Half one by one (a checkpoint every `every`), half in one group-committed batch.
  for (let i = 1; i <= n / 2; i++) await log.append(record(i));
  await Promise.all(
    Array.from({ length: n - Math.floor(n / 2) }, (_, i) =>
      log.append(record(Math.floor(n / 2) + i + 1)),
    ),
  );
  await log.flush();
  await store.close();
}

async function tamper(sql: string) {
  const db = new Database(dbPath);
  db.exec(sql);
  db.close();
  store = openSqliteStore(dbPath);
}

test("an untouched log verifies, across group-committed batches and checkpoints", async () => {
  await writeLog(25, 10);
  store = openSqliteStore(dbPath);
  const result = await verifyAuditLog(store);
  assert.equal(result.ok, true);
  assert.equal(result.chains[0]?.records, 25);
  assert.ok((result.chains[0]?.checkpoints ?? 0) >= 1);
});

const tampering: { name: string; sql: string; seq: number }[] = [
  {
    name: "an edited record",
    sql: `UPDATE decisions SET body = replace(body, '"allow"', '"deny"') WHERE seq = 5`,
    seq: 5,
  },
  { name: "a deleted record", sql: "DELETE FROM decisions WHERE seq = 7", seq: 8 },
  {
    name: "an inserted record",
    sql: "UPDATE decisions SET seq = seq + 1000 WHERE seq >= 12; UPDATE decisions SET seq = seq - 999 WHERE seq >= 1000; INSERT INTO decisions SELECT chain, 12, 'dec_x', time_ms, type, result, action, repository_id, capability_id, body, prev_hash, hash FROM decisions WHERE seq = 11",
    seq: 12,
  },
  {
    name: "two swapped records",
    sql: "UPDATE decisions SET seq = -1 WHERE seq = 3; UPDATE decisions SET seq = 3 WHERE seq = 4; UPDATE decisions SET seq = 4 WHERE seq = -1",
    seq: 3,
  },
  { name: "truncation after a checkpoint", sql: "DELETE FROM decisions WHERE seq > 15", seq: 16 },
  { name: "a chain emptied of every record", sql: "DELETE FROM decisions", seq: 1 },
];
for (const c of tampering) {
  test(`audit verify catches ${c.name} and names the first bad record`, async () => {
    await writeLog(25, 10);
    await tamper(c.sql);
    const result = await verifyAuditLog(store);
    assert.equal(result.ok, false);
    assert.equal(result.problem?.seq, c.seq, result.problem?.what);
  });
}

test("a chain rewritten with fresh hashes no longer matches its signed checkpoint", async () => {
  await writeLog(25, 10);
  // Re-write a forged history from record 1: valid-looking hashes, but not what leash signed.
  await tamper("DELETE FROM decisions");
  const forged: DecisionRow[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= 25; seq++) {
    const row = toRow("a", seq, prevHash, { ...record(seq), result: "allow" });
    forged.push(row);
    prevHash = row.hash;
  }
  await store.appendDecisions(forged);
  const result = await verifyAuditLog(store);
  assert.equal(result.ok, false);
  assert.equal(result.problem?.seq, 10, JSON.stringify(result.problem));
});

test("a batch that can't be written rejects every append in it and leaves the chain intact", async () => {
  const log = await openLog(1_800_000_000_000);
  await log.append(record(1));
  // A duplicate decision id makes the transaction fail.
  const results = await Promise.allSettled([log.append(record(2)), log.append(record(1))]);
  assert.deepEqual(
    results.map((r) => r.status),
    ["rejected", "rejected"],
  );
  await log.append(record(3));
  assert.equal((await verifyAuditLog(store)).ok, true);
});

test("a chain pruned of every record goes on after its anchoring checkpoint, not at record 1", async () => {
  await writeLog(20, 10);
  store = openSqliteStore(dbPath);
  // What `leash audit prune` leaves of a quiet chain: no records, the checkpoint at 20.
  await store.pruneChain("a", 20);
  const log = await openLog(1_900_000_000_000, 1);
  await log.append(record(21));
  await log.flush();
  const [anchor] = await store.listCheckpoints("a");
  const next = await store.lastDecision("a");
  assert.deepEqual([next?.seq, next?.prevHash], [21, anchor?.hash]);
  // Without a recorded prune the gap is still reported; the chain itself links on.
  const result = await verifyAuditLog(store);
  assert.equal(result.ok, false);
  assert.match(result.problem?.what ?? "", /no recorded audit prune covers them/);
});

test("closing the log signs its tail, so cutting the last records off shows", async () => {
  const log = await openLog(1_800_000_000_000, 10);
  for (let i = 1; i <= 25; i++) await log.append(record(i));
  await log.close();
  assert.deepEqual(
    (await store.listCheckpoints("a")).map((c) => c.seq),
    [10, 20, 25],
  );
  await store.close();
  // A stopped instance's chain: its last records removed, as an intruder would.
  await tamper("DELETE FROM decisions WHERE seq > 22");
  const result = await verifyAuditLog(store);
  assert.equal(result.ok, false);
  assert.equal(result.problem?.seq, 23);
});

test("an idle chain's tail is signed once the checkpoint interval has passed, without another record", async () => {
  const log = await openLog(1_800_000_000_000, 1000, 50);
  await log.append(record(1));
  assert.deepEqual(await store.listCheckpoints("a"), [], "not yet: the interval hasn't passed");
  const deadline = Date.now() + 5000;
  while ((await store.listCheckpoints("a")).length === 0 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(
    (await store.listCheckpoints("a")).map((c) => c.seq),
    [1],
  );
  await log.close();
});

/** Runs `sql` on the store's file from a second connection, while the store stays open. */
function alongside(sql: string) {
  const db = new Database(dbPath);
  db.exec(sql);
  db.close();
}

/** Waits (up to 5 s) until chain "a" has a checkpoint; returns the signed seqs. */
async function waitForCheckpoint(): Promise<number[]> {
  const deadline = Date.now() + 5000;
  while ((await store.listCheckpoints("a")).length === 0 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  return (await store.listCheckpoints("a")).map((c) => c.seq);
}

test("records a killed process never signed are signed by the next one on the chain", async () => {
  // The first process writes 5 records and dies before any checkpoint (no close).
  const killed = await openLog(1_800_000_000_000, 1000);
  for (let i = 1; i <= 5; i++) await killed.append(record(i));
  await killed.flush();
  assert.deepEqual(await store.listCheckpoints("a"), []);

  const next = await openLog(1_800_000_000_000, 1000, 50);
  assert.deepEqual(await waitForCheckpoint(), [5], "signed once idle, with no record of its own");
  await next.close();

  const another = await openLog(1_800_000_000_000, 1000);
  await another.append(record(6));
  await another.close();
  assert.deepEqual(
    (await store.listCheckpoints("a")).map((c) => c.seq),
    [5, 6],
  );
});

test("an idle checkpoint that fails is tried again while the chain stays quiet", async () => {
  alongside(
    "CREATE TRIGGER refuse_checkpoints BEFORE INSERT ON checkpoints BEGIN SELECT RAISE(ABORT, 'disk is full'); END",
  );
  const log = await openLog(1_800_000_000_000, 1000, 50);
  await log.append(record(1));
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(await store.listCheckpoints("a"), [], "the checkpoint could not be written");
  alongside("DROP TRIGGER refuse_checkpoints");
  assert.deepEqual(await waitForCheckpoint(), [1]);
  await log.close();
});

test("checkpoints asked for at once sign the head once, without failing", async () => {
  const log = await openLog(1_800_000_000_000, 1000);
  await log.append(record(1));
  await Promise.all([log.checkpoint(), log.checkpoint(), log.close()]);
  assert.deepEqual(
    (await store.listCheckpoints("a")).map((c) => c.seq),
    [1],
  );
});
