/**
 * The default pack deciding on facts the real evidence parsers produced (not hand-written facts):
 * the security review's attacks on the parsers, and lockfile diffs leash computed itself (zone
 * "leash", the git gateway's), complete or partial, end to end through select-evidence and Cedar.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { createManualClock } from "../clock/index.js";
import {
  diffNpmLockfiles,
  diffPnpmLockfiles,
  type EvidenceFacts,
  type EvidenceItem,
  parseJunitXml,
  parseOsvScannerReport,
} from "../evidence/index.js";
import {
  type AuthorizationRequest,
  createPolicyEngine,
  loadPolicySet,
  type Principal,
} from "./index.js";

const PACK = fileURLToPath(new URL("../../../policies/default", import.meta.url));
const fixture = (name: string) =>
  readFileSync(new URL(`../../../src/evidence/fixtures/${name}`, import.meta.url), "utf8");
const SHA = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b";
const engine = createPolicyEngine(loadPolicySet({ dirs: [PACK] }), {
  ownedBranches: ["refs/heads/agent/*"],
  protectedBranches: ["refs/heads/main"],
  clock: createManualClock(Date.parse("2025-06-01T00:00:00Z")),
});

const item = (zone: string, facts: EvidenceFacts, partial = false): EvidenceItem => ({
  id: `att_${zone}_${facts.kind}`,
  zone,
  repositoryId: "101",
  selfReported: false,
  subject: { sha: SHA },
  facts,
  ...(partial ? { partial } : {}),
});
/** A request whose evidence was all attested by the validation zone. */
const request = (action: string, zone: Principal["zone"], evidence: EvidenceFacts[]) =>
  requestWith(
    action,
    zone,
    evidence.map((facts) => item("validation", facts)),
  );
const requestWith = (
  action: string,
  zone: Principal["zone"],
  evidence: EvidenceItem[],
): AuthorizationRequest => ({
  principal: {
    capabilityId: "cap_t",
    zone,
    actions: [action],
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
  action,
  resource:
    action === "dependency.change"
      ? { type: "Branch", id: "refs/heads/agent/x", attrs: {} }
      : { type: "Package", id: "@acme/app", attrs: {} },
  context: {},
  evidence,
});

const LODASH =
  "sha512-v2kDEe57lecTulaDIuNTPy3Ry4gLGJ6Z1O3vE1krgXZNrsQ+LFTGHVxVjcXPs17LhbZVGedAJv8XZ1tvj5FvSg==";
const npmLock = (version: string, resolved: string, integrity: string, extra: object = {}) =>
  JSON.stringify({
    lockfileVersion: 3,
    packages: {
      "": { dependencies: { lodash: "^4.17.20" } },
      "node_modules/lodash": { version, resolved, integrity },
      ...extra,
    },
  });
const registryLock = npmLock(
  "4.17.21",
  "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz",
  LODASH,
);
const osv = (vulnerabilities: object[], name: string) =>
  parseOsvScannerReport(
    JSON.stringify({
      results: [
        { packages: [{ package: { name, version: "1.0.0", ecosystem: "npm" }, vulnerabilities }] },
      ],
    }),
  );
const cleanScan = osv([], "lodash");

test("the default pack decides on what the parsers now see", () => {
  const cases: [string, AuthorizationRequest, string, string | undefined][] = [
    [
      "control: an unchanged lockfile with a clean scan is allowed",
      request("dependency.change", "editing", [
        diffNpmLockfiles(registryLock, registryLock),
        cleanScan,
      ]),
      "allow",
      undefined,
    ],
    [
      "lodash 4.17.21 from another tarball needs an approval",
      request("dependency.change", "editing", [
        diffNpmLockfiles(
          registryLock,
          npmLock("4.17.21", "https://evil.example/lodash-4.17.21.tgz", "sha512-AAAA"),
        ),
        cleanScan,
      ]),
      "deny",
      "high_risk_needs_approval",
    ],
    [
      "a pnpm v9 transitive package (install scripts unrecorded) needs an approval",
      request("dependency.change", "editing", [
        diffPnpmLockfiles(
          fixture("pnpm-lock-v9-after.yaml"),
          fixture("pnpm-lock-v9-after.yaml").replace(
            "\npackages:\n",
            "\npackages:\n  postinstall-evil@1.0.0:\n    resolution: {integrity: sha512-y}\n\n",
          ),
        ),
        cleanScan,
      ]),
      "deny",
      "high_risk_needs_approval",
    ],
    [
      "a malicious package the diff adds, reported by OSV without severity, blocks",
      request("dependency.change", "editing", [
        diffNpmLockfiles(
          registryLock,
          npmLock("4.17.21", "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz", LODASH, {
            "node_modules/evil-pkg": {
              version: "1.0.0",
              resolved: "https://registry.npmjs.org/evil-pkg/-/evil-pkg-1.0.0.tgz",
              integrity: "sha512-y",
            },
          }),
        ),
        osv([{ id: "MAL-2024-10167", summary: "Malicious code in evil-pkg (npm)" }], "evil-pkg"),
      ]),
      "deny",
      "vulnerable_dependency",
    ],
    [
      "a merged JUnit report whose nested <testsuites> fails does not count as tests passed",
      request("artifact.publish", "publishing", [
        parseJunitXml(
          `<testsuites>${fixture("pytest-junit-xunit1.xml").replace(/^<\?xml[^>]*\?>/, "")}${fixture(
            "jest-junit.xml",
          ).replace(/^<\?xml[^>]*\?>/, "")}</testsuites>`,
        ),
      ]),
      "deny",
      "tests_not_attested",
    ],
  ];
  for (const [name, req, decision, code] of cases) {
    const d = engine.evaluate(req);
    assert.equal(d.decision, decision, `${name}: ${JSON.stringify(d.reasons)}`);
    if (code !== undefined) {
      assert.ok(
        d.reasons.some((r) => r.code === code),
        `${name}: ${JSON.stringify(d.reasons)}`,
      );
    }
  }
});

// Leash's own diff of a push: complete, it is the diff and scopes scans; partial (a lockfile
// it could not read beside it), it only makes the decision stricter.
const undiciLock = (undici: string, extra: object = {}) =>
  JSON.stringify({
    lockfileVersion: 3,
    packages: {
      "": { dependencies: { undici: "^6.0.0" } },
      "node_modules/undici": { version: undici },
      "node_modules/lodash": { version: "4.17.20" },
      ...extra,
    },
  });
const bump = diffNpmLockfiles(undiciLock("6.1.0"), undiciLock("6.2.0"));
const scripted = diffNpmLockfiles(
  undiciLock("6.1.0"),
  undiciLock("6.2.0", { "node_modules/evil-pkg": { version: "1.0.0", hasInstallScript: true } }),
);
const highInLodash: EvidenceFacts = {
  kind: "vulnerability-scan",
  source: "npm-audit",
  findings: [{ id: "GHSA-x", package: "lodash", severity: "high" }],
  counts: { low: 0, moderate: 0, high: 1, critical: 0, unknown: 0 },
};
const cleanAudit: EvidenceFacts = {
  ...highInLodash,
  findings: [],
  counts: { ...highInLodash.counts, high: 0 },
};
const computedCases: { name: string; evidence: EvidenceItem[]; expect: string }[] = [
  {
    name: "leash's complete diff is the diff and scopes the scan to what it changes",
    evidence: [item("leash", bump), item("validation", highInLodash)],
    expect: "allow",
  },
  {
    name: "a partial leash diff is not the diff",
    evidence: [item("leash", bump, true), item("validation", cleanAudit)],
    expect: "lockfile_diff_missing",
  },
  {
    name: "a partial leash diff does not scope a scan (a high finding anywhere blocks)",
    evidence: [item("leash", bump, true), item("editing", bump), item("validation", highInLodash)],
    expect: "vulnerable_dependency",
  },
  {
    name: "a partial leash diff's install script still needs approval",
    evidence: [
      item("leash", scripted, true),
      item("editing", bump),
      item("validation", cleanAudit),
    ],
    expect: "high_risk_needs_approval",
  },
];
for (const c of computedCases) {
  test(`computed lockfile diff: ${c.name} (${c.expect})`, () => {
    const d = engine.evaluate(requestWith("dependency.change", "editing", c.evidence));
    assert.equal(d.decision === "allow" ? "allow" : (d.reasons[0]?.code ?? "deny"), c.expect);
  });
}
