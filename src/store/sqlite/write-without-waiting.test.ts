import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import type { DecisionRow } from "../store.js";
import { openSqliteStore } from "./sqlite-store.js";

const row = (seq: number): DecisionRow => ({
  chain: "w1",
  seq,
  decisionId: `dec_w1_${seq}`,
  timeMs: 1_700_000_000_000 + seq,
  type: "authorize",
  result: "allow",
  action: "code.write",
  repositoryId: "74",
  capabilityId: null,
  body: "{}",
  prevHash: `prev_${seq}`,
  hash: `hash_${seq}`,
});

/**
 * Another connection (as another `leash serve` worker would) holds the write lock and gives
 * it back from a timer. Were the store's write waiting inside SQLite, the event loop would
 * be stuck in that call, the timer could never run, and the write would fail with
 * SQLITE_BUSY after the busy timeout; it must instead succeed once the lock is free.
 */
describe("hot SQLite writes while another process holds the write lock", () => {
  const dir = mkdtempSync(join(tmpdir(), "leash-busy-"));
  const path = join(dir, "leash.db");
  const store = openSqliteStore(path);
  const other = new Database(path);
  other.pragma("busy_timeout = 5000");
  after(async () => {
    other.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const holdLockFor = (ms: number) => {
    other.exec("BEGIN IMMEDIATE");
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 1);
    setTimeout(() => {
      clearInterval(ticker);
      other.exec("COMMIT");
    }, ms);
    return () => ticks;
  };

  it("a decision append waits on a later turn of the event loop, then lands", async () => {
    const ticks = holdLockFor(30);
    await store.appendDecisions([row(1), row(2)]);
    assert.ok(ticks() > 0, "the event loop kept turning while the append waited");
    assert.equal((await store.lastDecision("w1"))?.seq, 2);
  });

  it("a replay claim does the same, and still claims once", async () => {
    holdLockFor(30);
    assert.equal(await store.claimOnce("dpop:k:j1", 2_000_000_000_000, 1_700_000_000_000), true);
    assert.equal(await store.claimOnce("dpop:k:j1", 2_000_000_000_000, 1_700_000_000_000), false);
  });

  it("a write that fails for another reason fails at once, changing nothing", async () => {
    await assert.rejects(store.appendDecisions([row(3), row(3)]), /UNIQUE|constraint/i);
    assert.equal((await store.lastDecision("w1"))?.seq, 2);
  });
});
