import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readDiffPaths } from "./read-diff-paths.js";

describe("readDiffPaths", () => {
  it("reads unified, git and context headers; skips /dev/null and hunk ranges", () => {
    const diff = [
      "diff --git a/x.yml b/y.yml",
      "rename from x.yml",
      "rename to y.yml",
      "--- /dev/null",
      "+++ b/new.ts\t2024-01-01 00:00:00",
      "@@ -0,0 +1 @@",
      "+x",
      "*** old.c",
      "--- old.c",
      "***************",
      "*** 1,2 ****",
      "--- 1,2 ----",
      "Index: idx.txt",
    ].join("\n");
    assert.deepEqual(readDiffPaths(diff), {
      prefixed: ["a/x.yml", "b/y.yml", "b/new.ts", "old.c", "idx.txt"],
      exact: ["x.yml", "y.yml"],
    });
  });
  it("a name followed by a timestamp after spaces counts both ways", () => {
    assert.deepEqual(readDiffPaths("+++ b/a.yml 2024-01-01 00:00:00")?.prefixed, [
      "b/a.yml 2024-01-01 00:00:00",
      "b/a.yml",
    ]);
  });
  it("is null for a quoted name or a diff that names nothing (its writes are unknown)", () => {
    assert.equal(readDiffPaths('+++ "b/\\303\\251.yml"'), null);
    assert.equal(readDiffPaths("1c1\n< a\n---\n> b\n"), null);
  });
});
