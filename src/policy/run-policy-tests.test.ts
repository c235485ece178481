import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { hasCode } from "../errors/index.js";
import { runPolicyTests } from "./index.js";

const PACK = fileURLToPath(new URL("../../../policies/default", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "leash-policy-tests-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const PRINCIPAL = `principal:
  capability_id: cap_x
  zone: planning
  actions: []
  repository: acme/app
  repository_id: "101"
  owner_id: "7"
  ref: refs/heads/main
  sha: 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b
  workflow_ref: w
  job_workflow_ref: w
  event: push
  runner_environment: github-hosted
  run_id: "1"
`;

function caseFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe("runPolicyTests", () => {
  it("passes every case of the default pack", () => {
    const report = runPolicyTests({ policyDirs: [PACK], casesPaths: [join(PACK, "tests")] });
    const failed = report.results.filter((r) => !r.passed).map((r) => `${r.name}: ${r.failure}`);
    assert.deepEqual(failed, []);
    assert.ok(report.total >= 80);
    assert.equal(report.passed, report.total);
  });

  it("reports a wrong decision, a wrong reason code and a missing policy as failures", () => {
    const path = caseFile(
      "wrong.yaml",
      `${PRINCIPAL}cases:
  - name: wrong decision
    request: { action: repo.read, resource: { type: Repository, id: acme/app } }
    expect: { decision: deny }
  - name: wrong code
    request: { action: code.write, resource: { type: Branch, id: refs/heads/agent/x } }
    expect: { decision: deny, code: protected_branch }
  - name: wrong policy
    request: { action: repo.read, resource: { type: Repository, id: acme/app } }
    expect: { decision: allow, policies: [nope] }
  - name: right
    request: { action: code.write, resource: { type: Branch, id: refs/heads/agent/x } }
    expect: { decision: deny, code: action_not_granted }
`,
    );
    const report = runPolicyTests({ policyDirs: [PACK], casesPaths: [path] });
    assert.deepEqual(
      report.results.map((r) => r.passed),
      [false, false, false, true],
    );
    assert.equal(report.failed, 3);
  });

  const malformed: [name: string, text: string][] = [
    ["not YAML", "cases: [\n"],
    ["no cases", `${PRINCIPAL}cases: []\n`],
    ["an unknown key", `${PRINCIPAL}casez: []\n`],
    [
      "an undefined named evidence",
      `${PRINCIPAL}cases:\n  - name: x\n    request: { action: repo.read, resource: { type: Repository, id: a }, evidence: [nope] }\n    expect: { decision: allow }\n`,
    ],
    [
      "a principal missing a field",
      `cases:\n  - name: x\n    request: { action: repo.read, resource: { type: Repository, id: a } }\n    expect: { decision: allow }\n`,
    ],
    [
      "evidence with unknown facts",
      `${PRINCIPAL}cases:\n  - name: x\n    request:\n      action: repo.read\n      resource: { type: Repository, id: a }\n      evidence: [{ id: e, zone: v, repository_id: "1", self_reported: false, subject: {}, facts: { kind: magic } }]\n    expect: { decision: allow }\n`,
    ],
    [
      "a bad date",
      `options: { now: yesterday }\n${PRINCIPAL}cases:\n  - name: x\n    request: { action: repo.read, resource: { type: Repository, id: a } }\n    expect: { decision: allow }\n`,
    ],
  ];
  for (const [name, text] of malformed) {
    it(`refuses a case file with ${name} with ERR_POLICY_TEST_INVALID`, () => {
      const path = caseFile(`${name.replace(/\W+/g, "-")}.yaml`, text);
      assert.throws(
        () => runPolicyTests({ policyDirs: [PACK], casesPaths: [path] }),
        (err) => hasCode(err, "ERR_POLICY_TEST_INVALID") && err.detail?.["file"] === path,
      );
    });
  }

  it("refuses a missing case path with ERR_POLICY_TEST_INVALID", () => {
    assert.throws(
      () => runPolicyTests({ policyDirs: [PACK], casesPaths: [join(dir, "missing")] }),
      (err) => hasCode(err, "ERR_POLICY_TEST_INVALID"),
    );
  });
});
