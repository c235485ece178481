import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { createManualClock } from "../clock/index.js";
import { hasCode } from "../errors/index.js";
import type { EvidenceFacts, EvidenceItem } from "../evidence/index.js";
import { type AuthorizationRequest, DEFAULT_POLICY_DIR } from "../policy/index.js";
import { createPolicyHolder } from "./policy-holder.js";

const dir = mkdtempSync(join(tmpdir(), "leash-holder-"));
after(() => rmSync(dir, { recursive: true, force: true }));
cpSync(DEFAULT_POLICY_DIR, dir, { recursive: true });

const FREEZE = `@id("test.freeze")
@code("frozen")
@reason("writes are frozen")
forbid (principal, action == Leash::Action::"code.write", resource);
`;

const request: AuthorizationRequest = {
  principal: {
    capabilityId: "cap_1",
    zone: "editing",
    actions: ["code.write"],
    repository: "acme/app",
    repositoryId: "74",
    ownerId: "65",
    ref: "refs/heads/agent/fix",
    sha: "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b",
    workflowRef: "acme/app/.github/workflows/agent.yml@refs/heads/main",
    jobWorkflowRef: "acme/app/.github/workflows/agent.yml@refs/heads/main",
    event: "push",
    runnerEnvironment: "github-hosted",
    runId: "1",
  },
  action: "code.write",
  resource: { type: "Branch", id: "refs/heads/agent/fix", attrs: { paths: ["src/a.ts"] } },
  context: {},
  evidence: [],
};

test("a reload swaps the sets whole, keeps the last good one on a bad policy, and each generation answers for itself as slots are reused", () => {
  const holder = createPolicyHolder(
    {
      mode: "enforce",
      observeActions: [],
      dirs: [dir],
      shadowDirs: undefined,
      ownedBranches: ["refs/heads/agent/*"],
      protectedBranches: [],
      productionEnvironments: ["production"],
      productionStacks: [],
    },
    createManualClock(Date.now()),
  );
  const decide = () => holder.active.evaluate(request);
  assert.equal(decide().decision, "allow");
  const first = holder.active.digest;

  writeFileSync(join(dir, "freeze.cedar"), FREEZE);
  const frozen = holder.reload().digest;
  assert.notEqual(frozen, first);
  assert.equal(decide().reasons[0]?.code, "frozen");

  // A policy that fails validation: the reload throws and the frozen set stays in force.
  writeFileSync(
    join(dir, "bad.cedar"),
    `permit (principal, action, resource) when { resource.nope };`,
  );
  assert.throws(
    () => holder.reload(),
    (e) => hasCode(e, "ERR_POLICY_INVALID"),
  );
  assert.equal(holder.active.digest, frozen);
  assert.equal(decide().reasons[0]?.code, "frozen");

  // Two more good reloads: the slot of the first set is reused, and each answers for itself.
  unlinkSync(join(dir, "bad.cedar"));
  unlinkSync(join(dir, "freeze.cedar"));
  assert.equal(holder.reload().digest, first);
  assert.equal(decide().decision, "allow");
  writeFileSync(join(dir, "freeze.cedar"), FREEZE);
  assert.equal(holder.reload().digest, frozen);
  assert.equal(decide().reasons[0]?.code, "frozen");
});

test("the production environments and stacks of the config reach the engine", () => {
  const config = {
    mode: "enforce" as const,
    observeActions: [],
    dirs: undefined,
    shadowDirs: undefined,
    ownedBranches: ["refs/heads/agent/*"],
    protectedBranches: [],
    productionEnvironments: ["prod"],
    productionStacks: ["prod-*"],
  };
  const holder = createPolicyHolder(config, createManualClock(Date.parse("2025-01-01")));
  const plan: EvidenceFacts = {
    kind: "terraform-plan",
    creates: [],
    updates: [],
    deletes: ["aws_db_instance.main"],
    replaces: [],
    drifted: [],
  };
  const drift: EvidenceFacts = { kind: "drift-check", drifted: [], clean: true };
  // The plan and drift check describe the stack under decision.
  const evidenceOf = (stack: string): EvidenceItem[] =>
    [plan, drift].map((facts) => ({
      id: `att_${facts.kind}`,
      zone: "validation",
      repositoryId: "74",
      selfReported: false,
      subject: { sha: request.principal.sha },
      facts: { ...facts, stack },
    }));
  const destroy = (id: string, environment: string) =>
    holder.active.evaluate({
      principal: { ...request.principal, actions: ["infra.change"] },
      action: "infra.change",
      resource: { type: "Stack", id, attrs: { environment } },
      context: {},
      evidence: evidenceOf(id),
    });
  const codes = (d: ReturnType<typeof destroy>) => [d.decision, ...d.reasons.map((r) => r.code)];
  const approval = ["deny", "destructive_change_needs_approval"];
  assert.deepEqual(codes(destroy("prod-eu", "staging")), approval);
  // Environment names compare without regard to case, as forges treat them.
  assert.deepEqual(codes(destroy("core", "PROD")), approval);
  assert.deepEqual(codes(destroy("core", "staging")), ["allow", "allowed"]);
  // "production" is no longer production once the config names its own list.
  assert.deepEqual(codes(destroy("core", "production")), ["allow", "allowed"]);
});
