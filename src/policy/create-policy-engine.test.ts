import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { createManualClock } from "../clock/index.js";
import type { EvidenceItem } from "../evidence/facts.js";
import { statefulIsAuthorized } from "./cedar.js";
import {
  type AuthorizationRequest,
  createPolicyEngine,
  loadPolicySet,
  type Principal,
} from "./index.js";
import { parsePolicyTestFile } from "./parse-policy-test-file.js";

const PACK = fileURLToPath(new URL("../../../policies/default", import.meta.url));
const CASES = join(PACK, "tests");
const clock = createManualClock(Date.parse("2025-01-01T00:00:00Z"));
const SHA = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b";
const DIGEST = `sha256:${"e3".repeat(32)}`;

const principal: Principal = {
  capabilityId: "cap_t",
  zone: "publishing",
  actions: ["artifact.publish", "deploy"],
  repository: "acme/app",
  repositoryId: "101",
  ownerId: "7",
  ref: "refs/heads/main",
  sha: SHA,
  workflowRef: "w",
  jobWorkflowRef: "w",
  event: "push",
  runnerEnvironment: "github-hosted",
  runId: "1",
};
const tests = (zone: string, selfReported = false): EvidenceItem => ({
  id: "att_t",
  zone,
  repositoryId: "101",
  selfReported,
  subject: { sha: SHA },
  facts: { kind: "test-result", total: 1, passed: 1, failures: 0, errors: 0, skipped: 0, ok: true },
});
const request = (over: Partial<AuthorizationRequest>): AuthorizationRequest => ({
  principal,
  action: "artifact.publish",
  resource: { type: "Artifact", id: DIGEST, attrs: {} },
  context: {},
  evidence: [],
  ...over,
});

describe("createPolicyEngine with the default pack", () => {
  const set = loadPolicySet({ dirs: [PACK] });
  const engine = createPolicyEngine(set, { clock });

  it("names the permits of an allow and carries the set digest", () => {
    const d = engine.evaluate(request({ evidence: [tests("validation")] }));
    assert.equal(d.decision, "allow");
    assert.deepEqual(d.policies, ["artifact-publish.tested"]);
    assert.equal(d.policySetDigest, set.digest);
  });

  it("says what a default deny is missing, with the commit in the message", () => {
    const d = engine.evaluate(request({ evidence: [tests("validation", true)] }));
    assert.equal(d.decision, "deny");
    assert.deepEqual(d.policies, ["artifact-publish.tested"]);
    assert.deepEqual(
      d.reasons.map((r) => r.code),
      ["tests_not_attested"],
    );
    assert.match(d.reasons[0]?.message ?? "", /1a2b3c4 attested by the validation zone/);
  });

  it("lists every unmet requirement, not only the first", () => {
    const d = engine.evaluate(
      request({ resource: { type: "Artifact", id: DIGEST, attrs: { repository_id: "9" } } }),
    );
    assert.deepEqual(
      d.reasons.map((r) => r.code),
      ["foreign_repository", "tests_not_attested"],
    );
  });

  it("gives a forbid's @code and rendered @reason", () => {
    const d = engine.evaluate(
      request({
        principal: { ...principal, environment: "staging" },
        action: "deploy",
        resource: { type: "Environment", id: "staging", attrs: {} },
        context: { artifact: "ghcr.io/acme/app:1.2" },
      }),
    );
    assert.equal(d.decision, "deny");
    assert.deepEqual(d.policies, ["deploy.pinned"]);
    assert.equal(d.reasons[0]?.code, "artifact_not_pinned");
    assert.match(d.reasons[0]?.message ?? "", /ghcr\.io\/acme\/app@sha256:<digest>/);
  });

  it("a write whose paths are unknown counts as touching control paths, and says so", () => {
    const d = engine.evaluate(
      request({
        principal: { ...principal, actions: ["code.write"] },
        action: "code.write",
        resource: { type: "Branch", id: "refs/heads/agent/fix", attrs: {} },
      }),
    );
    assert.equal(d.decision, "deny");
    assert.equal(d.reasons[0]?.code, "workflow_change_needs_approval");
    assert.match(d.reasons[0]?.message ?? "", /control paths \(paths it could not name\);/);
  });

  it("denies an action outside the capability's grant with action_not_granted", () => {
    const d = engine.evaluate(
      request({ principal: { ...principal, actions: [] }, evidence: [tests("validation")] }),
    );
    assert.deepEqual(
      d.reasons.map((r) => r.code),
      ["action_not_granted"],
    );
  });

  it("refuses every action but the implied ones to a capability granted nothing", () => {
    // Implied actions are never granted by a trust rule, so granted.cedar has no forbid for
    // them: the two reads, and what agent hooks report (egress, local commands, tool calls).
    const implied = new Set([
      "repo.read",
      "secret.read",
      "network.egress",
      "command.run",
      "tool.use",
      "tool.report",
    ]);
    for (const action of set.actions.values()) {
      if (implied.has(action.id)) continue;
      const type = [...action.resourceTypes][0] as AuthorizationRequest["resource"]["type"];
      const d = engine.evaluate(
        request({
          principal: { ...principal, actions: [] },
          action: action.id,
          resource: { type, id: "x", attrs: {} },
        }),
      );
      assert.ok(
        d.reasons.some((r) => r.code === "action_not_granted"),
        action.id,
      );
    }
  });

  it("sends Cedar only the attributes the action's policies read", () => {
    const read = set.partitions.get("repo.read")?.usage;
    assert.deepEqual([...(read?.principal ?? ["all"])], []);
    assert.deepEqual([...(read?.resource ?? ["all"])], ["own_repository"]);
    const publish = set.partitions.get("artifact.publish")?.usage;
    assert.deepEqual([...(publish?.evidence ?? ["all"])], ["tests_passed"]);
  });

  it("decides every pack case exactly as raw Cedar does on the whole, unpartitioned set", () => {
    let compared = 0;
    for (const file of readdirSync(CASES)) {
      const parsed = parsePolicyTestFile(readFileSync(join(CASES, file), "utf8"), file);
      const e = createPolicyEngine(set, {
        clock,
        ...(parsed.options.protected_branches && {
          protectedBranches: parsed.options.protected_branches,
        }),
        ...(parsed.options.production_stacks && {
          productionStacks: parsed.options.production_stacks,
        }),
      });
      for (const c of parsed.cases) {
        const cedarRequest = e.toCedarRequest(c.request);
        const partition = set.partitions.get(c.request.action);
        if (cedarRequest === null || !partition?.action.resourceTypes.has(c.request.resource.type))
          continue;
        const raw = statefulIsAuthorized({ ...cedarRequest, preparsedPolicySetId: set.wholeSetId });
        assert.equal(raw.type, "success");
        if (raw.type !== "success") continue;
        assert.deepEqual(raw.response.diagnostics.errors, [], c.name);
        assert.equal(e.evaluate(c.request).decision, raw.response.decision, `${file}: ${c.name}`);
        compared++;
      }
    }
    assert.ok(compared > 80, `compared ${compared}`);
  });
});

describe("createPolicyEngine explanations with several permits", () => {
  const dir = mkdtempSync(join(tmpdir(), "leash-policy-engine-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    join(dir, "publish.cedar"),
    `@id("by-tests") @reason("tested")
@require1("tests_not_attested: needs tests for {commit}")
permit (principal, action == Leash::Action::"artifact.publish", resource)
when { context.evidence.tests_passed.contains({zone: "validation", self_reported: false}) };

@id("by-approval") @reason("approved")
@require1("approval_missing: needs an approval for {resource_id}")
permit (principal, action == Leash::Action::"artifact.publish", resource is Leash::Package)
when { context.evidence.approvals.contains({zone: "admin", self_reported: false}) };

@id("packages-only") @reason("reads")
permit (principal, action == Leash::Action::"repo.read", resource is Leash::Path);`,
  );
  const engine = createPolicyEngine(loadPolicySet({ dirs: [dir] }), { clock });

  it("reports the failing requirement of each applicable permit", () => {
    const d = engine.evaluate(
      request({ resource: { type: "Package", id: "@acme/app", attrs: {} } }),
    );
    assert.deepEqual(d.policies, ["by-tests", "by-approval"]);
    assert.deepEqual(d.reasons, [
      { code: "tests_not_attested", message: "needs tests for 1a2b3c4" },
      { code: "approval_missing", message: "needs an approval for @acme/app" },
    ]);
  });

  it("leaves out a permit whose resource scope does not match", () => {
    const d = engine.evaluate(request({}));
    assert.deepEqual(d.policies, ["by-tests"]);
  });

  it("says no policy permits when no permit's scope matches", () => {
    const d = engine.evaluate(
      request({ action: "repo.read", resource: { type: "Repository", id: "acme/app", attrs: {} } }),
    );
    assert.deepEqual(
      d.reasons.map((r) => r.code),
      ["no_permit"],
    );
  });

  it("allows through a condition-free permit", () => {
    const d = engine.evaluate(
      request({ action: "repo.read", resource: { type: "Path", id: "src/a.ts", attrs: {} } }),
    );
    assert.equal(d.decision, "allow");
    assert.deepEqual(d.policies, ["packages-only"]);
  });
});
