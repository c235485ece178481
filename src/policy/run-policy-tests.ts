import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { createManualClock } from "../clock/index.js";
import { createPolicyEngine } from "./create-policy-engine.js";
import { loadPolicySet } from "./load-policy-set.js";
import { type PolicyTestCase, parsePolicyTestFile } from "./parse-policy-test-file.js";
import { policyError } from "./policy-errors.js";
import type { PolicyTestExpectation } from "./policy-test-schema.js";
import type { PolicyDecision, PolicyEngineConfig } from "./types.js";

export interface PolicyTestResult {
  file: string;
  name: string;
  passed: boolean;
  expected: PolicyTestExpectation;
  actual: PolicyDecision;
  /** Why it failed, in a sentence; absent when it passed. */
  failure?: string;
}

export interface PolicyTestReport {
  policySetDigest: string;
  total: number;
  passed: number;
  failed: number;
  results: PolicyTestResult[];
}

/** The instant policy tests run at unless a file sets `options.now`. */
export const POLICY_TEST_NOW = "2025-01-01T00:00:00Z";

/**
 * Runs YAML policy cases (files, or directories of `*.yaml`/`*.yml`) against the set in
 * `policyDirs`. A failing case is a result, not an error. Throws ERR_POLICY_INVALID for
 * the set and ERR_POLICY_TEST_INVALID for an unreadable or malformed case file.
 */
export function runPolicyTests(opts: {
  policyDirs: string[];
  casesPaths: string[];
  schemaPath?: string;
}): PolicyTestReport {
  const set = loadPolicySet(
    opts.schemaPath === undefined
      ? { dirs: opts.policyDirs }
      : { dirs: opts.policyDirs, schemaPath: opts.schemaPath },
  );
  const results: PolicyTestResult[] = [];
  for (const file of opts.casesPaths.flatMap(listCaseFiles)) {
    const parsed = parsePolicyTestFile(readCaseFile(file), file);
    const o = parsed.options;
    const nowMs = Date.parse(o.now ?? POLICY_TEST_NOW);
    if (Number.isNaN(nowMs)) {
      throw policyError("ERR_POLICY_TEST_INVALID", `${file}: options.now is not a date`, { file });
    }
    const config: PolicyEngineConfig = { clock: createManualClock(nowMs) };
    if (o.owned_branches) config.ownedBranches = o.owned_branches;
    if (o.protected_branches) config.protectedBranches = o.protected_branches;
    if (o.default_branch) config.defaultBranch = o.default_branch;
    if (o.production_stacks) config.productionStacks = o.production_stacks;
    if (o.production_environments) config.productionEnvironments = o.production_environments;
    const engine = createPolicyEngine(set, config);
    for (const c of parsed.cases) results.push(runCase(file, c, engine.evaluate(c.request)));
  }
  const passed = results.filter((r) => r.passed).length;
  return {
    policySetDigest: set.digest,
    total: results.length,
    passed,
    failed: results.length - passed,
    results,
  };
}

function runCase(file: string, c: PolicyTestCase, actual: PolicyDecision): PolicyTestResult {
  const failure = compare(c.expect, actual);
  const result: PolicyTestResult = {
    file,
    name: c.name,
    passed: failure === null,
    expected: c.expect,
    actual,
  };
  if (failure !== null) result.failure = failure;
  return result;
}

function compare(expect: PolicyTestExpectation, actual: PolicyDecision): string | null {
  const codes = actual.reasons.map((r) => r.code);
  if (actual.decision !== expect.decision) {
    return `expected ${expect.decision}, got ${actual.decision} (${codes.join(", ") || "no reason"})`;
  }
  if (expect.code !== undefined && !codes.includes(expect.code)) {
    return `expected reason code ${expect.code}, got ${codes.join(", ") || "none"}`;
  }
  const missing = (expect.policies ?? []).filter((p) => !actual.policies.includes(p));
  if (missing.length > 0) {
    return `expected policies ${missing.join(", ")} among ${actual.policies.join(", ") || "none"}`;
  }
  return null;
}

function listCaseFiles(path: string): string[] {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (cause) {
    throw policyError("ERR_POLICY_TEST_INVALID", `cannot read ${path}`, { file: path }, cause);
  }
  if (!isDir) return [path];
  return readdirSync(path)
    .filter((n) => n.endsWith(".yaml") || n.endsWith(".yml"))
    .sort()
    .map((n) => join(path, n));
}

function readCaseFile(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (cause) {
    throw policyError("ERR_POLICY_TEST_INVALID", `cannot read ${file}`, { file }, cause);
  }
}
