/**
 * `leash serve` refuses a --port or --workers it can't use as a usage error (exit 2), before
 * it opens the store or listens, instead of failing later as an internal error.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { runLeashCli, writeExampleConfig } from "./support/cli.js";

describe("leash serve flags", () => {
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const unusable: [string, string][] = [
    ["--port", "abc"],
    ["--port", "99999"],
    ["--port", "-1"],
    ["--port", "80.5"],
    ["--workers", "0"],
    ["--workers", "many"],
  ];
  for (const [flag, value] of unusable) {
    test(`${flag}=${value}: exit 2 naming the flag, nothing opened`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "leash-serve-flags-"));
      dirs.push(dir);
      const configFile = writeExampleConfig(dir);
      const run = await runLeashCli(["serve", "--config", configFile, `${flag}=${value}`], {});
      assert.equal(run.code, 2, run.err);
      assert.match(run.err, new RegExp(`^leash: ${flag} takes`));
      assert.equal(existsSync(join(dir, "state")), false, "no store or state was created");
    });
  }
});
