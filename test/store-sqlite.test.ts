import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { openSqliteStore } from "../src/store/index.js";
import { runMigrate, runStoreContract } from "./store-contract.js";

runStoreContract("sqlite", async () => {
  const dir = mkdtempSync(join(tmpdir(), "leash-store-"));
  const store = openSqliteStore(join(dir, "state", "leash.db"));
  return {
    store,
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

test("leash migrate applies the SQLite migrations once and reports the version", async () => {
  const dir = mkdtempSync(join(tmpdir(), "leash-migrate-"));
  try {
    const example = readFileSync(new URL("../../examples/leash.yaml", import.meta.url), "utf8");
    // The example's store lies outside `dir` (../.leash); this test owns its store.
    const config = example
      .replace(/url: "sqlite:[^"]*"/, 'url: "sqlite:state/leash.db"')
      .replace(/^state_dir: .*$/m, "state_dir: state");
    assert.notEqual(config, example);
    writeFileSync(join(dir, "leash.yaml"), config);
    const run = () => runMigrate(dir);
    assert.deepEqual(await run(), {
      code: 0,
      report: { store: "sqlite", version: 3, applied: [1, 2, 3] },
    });
    assert.deepEqual(await run(), {
      code: 0,
      report: { store: "sqlite", version: 3, applied: [] },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
