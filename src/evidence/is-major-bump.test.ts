import assert from "node:assert/strict";
import { test } from "node:test";
import { isMajorBump } from "./is-major-bump.js";

test("a major bump is a step outside npm's caret range", () => {
  const cases: [string, string, boolean][] = [
    ["1.2.3", "2.0.0", true],
    ["1.2.3", "1.9.0", false],
    ["2.0.0", "1.0.0", false],
    ["0.4.2", "0.5.0", true],
    ["0.4.2", "0.4.9", false],
    ["0.0.1", "0.0.2", true],
    ["0.9.0", "1.0.0", true],
    ["1.0.0-rc.1", "1.0.0", false],
    ["1.0.0", "2.0.0-beta.1", true],
    ["v1.0.0", "v3.1.0", true],
    ["1.0.0", "git+ssh://git@github.com/acme/lib.git#9f3c1e2", true],
    ["file:../lib", "file:../lib", false],
  ];
  for (const [from, to, expected] of cases)
    assert.equal(isMajorBump(from, to), expected, `${from} → ${to}`);
});
