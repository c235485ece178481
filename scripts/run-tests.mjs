#!/usr/bin/env node
// Runs every compiled test file under dist/ with node's own test runner.
// Node 20 takes no globs, so the list is built here. Optional arguments narrow
// the run to files whose path contains one of them: `node scripts/run-tests.mjs src/identity`.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

function listTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listTests(path));
    else if (name.endsWith(".test.js")) out.push(path);
  }
  return out;
}

const filters = process.argv.slice(2);
const roots = ["dist/src", "dist/test", "dist/policies"].filter((d) => {
  try {
    return statSync(d).isDirectory();
  } catch {
    return false;
  }
});
const files = roots
  .flatMap(listTests)
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error("run-tests: no test files found (did `tsc -b` run?)");
  process.exit(1);
}
const concurrency = process.env.LEASH_TEST_CONCURRENCY ?? "2";
const result = spawnSync(
  process.execPath,
  ["--test", `--test-concurrency=${concurrency}`, ...files],
  { stdio: "inherit" },
);
process.exit(result.status ?? 1);
