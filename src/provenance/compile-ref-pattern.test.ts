import assert from "node:assert/strict";
import { test } from "node:test";
import { compileRefPattern } from "./compile-ref-pattern.js";

const CASES: [pattern: string, ref: string, matches: boolean][] = [
  ["refs/heads/main", "refs/heads/main", true],
  ["refs/heads/main", "refs/heads/main2", false],
  ["refs/tags/v*", "refs/tags/v1.2.3", true],
  ["refs/tags/v*", "refs/tags/v1/evil", false],
  ["refs/tags/v*", "xrefs/tags/v1", false],
  ["refs/**", "refs/tags/v1/x", true],
  ["refs/*/main", "refs/heads/main", true],
  ["refs/heads/release-*.x", "refs/heads/release-1.x", true],
  ["refs/heads/release-*.x", "refs/heads/release-1yx", false],
  ["refs/heads/(a|b)*", "refs/heads/a", false],
];

for (const [pattern, ref, matches] of CASES) {
  test(`${pattern} ${matches ? "matches" : "does not match"} ${ref}`, () => {
    assert.equal(compileRefPattern(pattern)(ref), matches);
  });
}
