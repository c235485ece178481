import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compileGlob } from "./compile-glob.js";

const cases: [glob: string, value: string, matches: boolean][] = [
  ["refs/heads/agent/*", "refs/heads/agent/fix", true],
  ["refs/heads/agent/*", "refs/heads/agent/a/b", false],
  ["refs/heads/agent/*", "refs/heads/agentx/fix", false],
  ["refs/heads/agent/*", "xrefs/heads/agent/fix", false],
  ["refs/heads/release/**", "refs/heads/release/1.x/hotfix", true],
  ["refs/heads/main", "refs/heads/main2", false],
  [".github/workflows/**", ".github/workflows/ci.yml", true],
  [".github/workflows/**", ".github/workflowsx/ci.yml", false],
  ["**/action.yml", "action.yml", true],
  ["**/action.yml", "tools/setup/action.yml", true],
  ["**/action.yml", "tools/setup/action.yml.bak", false],
  ["leash.yaml", "leash.yaml", true],
  ["leash.yaml", "leash-yaml", false],
  ["prod-*", "prod-eu", true],
  [".github/workflows/**", ".github/workflows/evil\n.yml", true],
  [".github/workflows/*", ".github/workflows/evil\n.yml", true],
  ["**/action.yml", "a\nb/action.yml", true],
  ["leash.yaml", "leash.yaml\n", false],
];

describe("compileGlob", () => {
  for (const [glob, value, matches] of cases) {
    it(`${glob} ${matches ? "matches" : "does not match"} ${value}`, () => {
      assert.equal(compileGlob(glob).test(value), matches);
    });
  }
});
