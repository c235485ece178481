import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createKeyRing } from "../capability/index.js";
import { systemClock } from "../clock/index.js";
import { openSqliteStore, type Store } from "../store/index.js";
import { createPolicyHolder } from "./policy-holder.js";
import { watchStoreChanges } from "./watch-store-changes.js";

const POLICY = {
  mode: "enforce" as const,
  observeActions: [],
  dirs: undefined,
  shadowDirs: undefined,
  ownedBranches: ["refs/heads/agent/*"],
  protectedBranches: ["refs/heads/main"],
  productionEnvironments: ["production"],
  productionStacks: [],
};

describe("watchStoreChanges without notifications (SQLite)", () => {
  let dir: string;
  let store: Store;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "leash-watch-"));
    store = await openSqliteStore(join(dir, "leash.db"));
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("a key rotated by another key ring on the store is picked up by polling", async () => {
    const kek = randomBytes(32);
    const here = createKeyRing({ store, kek, clock: systemClock });
    const there = createKeyRing({ store, kek, clock: systemClock });
    await here.load();
    await there.load();
    const policy = createPolicyHolder(POLICY, systemClock);
    const watch = await watchStoreChanges({
      store,
      keyRing: here,
      policy,
      policyDirs: undefined,
      intervalMs: 20,
      log: () => {},
    });
    try {
      const rotated = await there.rotate();
      assert.notEqual(here.current().kid, rotated.kid);
      const deadline = Date.now() + 2000;
      while (here.current().kid !== rotated.kid) {
        assert.ok(Date.now() < deadline, "the rotation was not picked up");
        await new Promise((r) => setTimeout(r, 10));
      }
      // Without a notify the wrapper reloads like the holder itself.
      const active = watch.policy.active;
      assert.match(watch.policy.reload().digest, /^sha256:/);
      assert.notEqual(watch.policy.active, active);
      assert.equal(watch.policy.active, policy.active);
    } finally {
      await watch.close();
    }
  });
});
