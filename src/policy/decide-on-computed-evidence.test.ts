/**
 * The default pack deciding on a lockfile diff leash computed itself (zone "leash", the git
 * gateway's), complete or partial, through select-evidence and Cedar.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { createManualClock } from "../clock/index.js";
import { diffNpmLockfiles, type EvidenceFacts, type EvidenceItem } from "../evidence/index.js";
import { type AuthorizationRequest, createPolicyEngine, loadPolicySet } from "./index.js";

const PACK = fileURLToPath(new URL("../../../policies/default", import.meta.url));
const SHA = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b";
const engine = createPolicyEngine(loadPolicySet({ dirs: [PACK] }), {
  ownedBranches: ["refs/heads/agent/*"],
  protectedBranches: ["refs/heads/main"],
  clock: createManualClock(Date.parse("2025-06-01T00:00:00Z")),
});

const lock = (undici: string, extra: object = {}) =>
  JSON.stringify({
    lockfileVersion: 3,
    packages: {
      "": { dependencies: { undici: "^6.0.0" } },
      "node_modules/undici": { version: undici },
      "node_modules/lodash": { version: "4.17.20" },
      ...extra,
    },
  });
const bump = diffNpmLockfiles(lock("6.1.0"), lock("6.2.0"));
const scripted = diffNpmLockfiles(
  lock("6.1.0"),
  lock("6.2.0", { "node_modules/evil-pkg": { version: "1.0.0", hasInstallScript: true } }),
);
const highInLodash: EvidenceFacts = {
  kind: "vulnerability-scan",
  source: "npm-audit",
  findings: [{ id: "GHSA-x", package: "lodash", severity: "high" }],
  counts: { low: 0, moderate: 0, high: 1, critical: 0, unknown: 0 },
};
const cleanScan: EvidenceFacts = {
  ...highInLodash,
  findings: [],
  counts: { ...highInLodash.counts, high: 0 },
};

const item = (zone: string, facts: EvidenceFacts, partial = false): EvidenceItem => ({
  id: `${zone}_${facts.kind}`,
  zone,
  repositoryId: "101",
  selfReported: false,
  subject: { sha: SHA },
  facts,
  ...(partial ? { partial } : {}),
});
const decide = (evidence: EvidenceItem[]) => {
  const req: AuthorizationRequest = {
    principal: {
      capabilityId: "cap_t",
      zone: "editing",
      actions: ["dependency.change"],
      repository: "acme/app",
      repositoryId: "101",
      ownerId: "7",
      ref: "refs/heads/agent/x",
      sha: SHA,
      workflowRef: "w",
      jobWorkflowRef: "w",
      event: "push",
      runnerEnvironment: "github-hosted",
      runId: "1",
    },
    action: "dependency.change",
    resource: { type: "Branch", id: "refs/heads/agent/x", attrs: {} },
    context: {},
    evidence,
  };
  const d = engine.evaluate(req);
  return d.decision === "allow" ? "allow" : (d.reasons[0]?.code ?? "deny");
};

const cases: { name: string; evidence: EvidenceItem[]; expect: string }[] = [
  {
    name: "leash's complete diff is the diff and scopes the scan to what it changes",
    evidence: [item("leash", bump), item("validation", highInLodash)],
    expect: "allow",
  },
  {
    name: "a partial leash diff is not the diff",
    evidence: [item("leash", bump, true), item("validation", cleanScan)],
    expect: "lockfile_diff_missing",
  },
  {
    name: "a partial leash diff does not scope a scan (a high finding anywhere blocks)",
    evidence: [item("leash", bump, true), item("editing", bump), item("validation", highInLodash)],
    expect: "vulnerable_dependency",
  },
  {
    name: "a partial leash diff's install script still needs approval",
    evidence: [item("leash", scripted, true), item("editing", bump), item("validation", cleanScan)],
    expect: "high_risk_needs_approval",
  },
];
for (const c of cases) {
  test(`computed lockfile diff: ${c.name} (${c.expect})`, () => {
    assert.equal(decide(c.evidence), c.expect);
  });
}
