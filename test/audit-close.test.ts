/**
 * A leash that stops leaves no unsigned tail: its last records are covered by a signed
 * checkpoint, so cutting them off later shows in `leash audit verify` (on PostgreSQL each
 * instance start is a new chain, so an unsigned tail would stay unsigned for good).
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { verifyAuditLog } from "../src/audit/index.js";
import { openSqliteStore } from "../src/store/index.js";
import { startTestIssuer } from "./support/oidc-issuer.js";
import { startTestLeash } from "./support/test-leash.js";

test("closing leash signs a checkpoint of every chain's last record", async () => {
  const issuer = await startTestIssuer();
  const t = await startTestLeash({ issuer });
  try {
    assert.equal((await t.exchange("editing")).status, 200);
    assert.equal((await t.exchange("validation")).status, 200);
    await t.server.close();
    await t.leash.close();

    const store = openSqliteStore(join(t.dir, "state", "leash.db"));
    try {
      const chain = t.config.server.instanceId;
      const last = await store.lastDecision(chain);
      const signed = (await store.listCheckpoints(chain)).at(-1);
      assert.ok(last && last.seq >= 2, "the exchanges are on record");
      assert.equal(signed?.seq, last.seq, "the last record is signed");
      assert.equal(signed?.hash, last.hash);
      assert.equal((await verifyAuditLog(store)).ok, true);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(t.dir, { recursive: true, force: true });
    await issuer.close();
  }
});
