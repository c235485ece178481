import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { DecisionRecord } from "../audit/index.js";
import { computeReport } from "./compute-report.js";

const T0 = Date.parse("2025-03-01T10:00:00.000Z");
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
let n = 0;
const base = (s: number, over: Partial<DecisionRecord>): DecisionRecord => ({
  decision_id: `dec_${++n}`,
  timestamp: at(s),
  type: "authorize",
  result: "allow",
  latency_ms: 1,
  ...over,
});

/** An allowed exchange that issued `cap` under `rule`. */
const exchange = (
  s: number,
  cap: string,
  o: { rule: string; zone: string; actions: string[]; ttl: number; run?: string },
) =>
  base(s, {
    type: "exchange",
    action: "token.exchange",
    principal: {
      repository_id: "74",
      run_id: o.run ?? "1",
      subject: "repo:acme/app",
      capability_id: cap,
    },
    detail: {
      capability_id: cap,
      rule: o.rule,
      zone: o.zone,
      actions: o.actions,
      ttl_seconds: o.ttl,
    },
    latency_ms: 2,
  });

const use = (s: number, cap: string, action: string, over: Partial<DecisionRecord> = {}) =>
  base(s, { action, principal: { capability_id: cap, repository_id: "74", run_id: "1" }, ...over });

const RECORDS: DecisionRecord[] = [
  exchange(0, "cap_a", {
    rule: "edit",
    zone: "editing",
    actions: ["repo.read", "code.write", "infra.change"],
    ttl: 600,
  }),
  exchange(1, "cap_b", {
    rule: "edit",
    zone: "editing",
    actions: ["repo.read", "code.write", "infra.change"],
    ttl: 1200,
    run: "2",
  }),
  exchange(2, "cap_c", {
    rule: "plan",
    zone: "planning",
    actions: ["repo.read", "plan.submit"],
    ttl: 1800,
    run: "3",
  }),
  exchange(3, "cap_d", {
    rule: "ship",
    zone: "deployment",
    actions: ["deploy"],
    ttl: 300,
    run: "4",
  }),
  base(4, {
    type: "exchange",
    result: "deny",
    code: "ERR_TRUST_NO_MATCH",
    principal: { repository_id: "74", run_id: "5" },
  }),
  use(10, "cap_a", "code.write", { latency_ms: 4 }),
  use(11, "cap_a", "code.write", { result: "deny", code: "denied", latency_ms: 8 }),
  use(12, "cap_b", "repo.read"),
  use(13, "cap_c", "secret.read", { result: "deny", code: "denied" }),
  use(14, "cap_c", "secret.read", { mode: "observe", would_deny: true }),
  use(15, "cap_d", "deploy", { detail: { provenance_verified: true }, latency_ms: 20 }),
  use(16, "cap_d", "deploy", {
    result: "deny",
    code: "denied",
    detail: { provenance_verified: false },
  }),
  base(17, { type: "admission", action: "admission.review" }),
  base(20, {
    type: "revoke",
    action: "capability.revoke",
    resource: { type: "Revocation", kind: "capability", id: "cap_a" },
  }),
  base(21, {
    type: "revoke",
    action: "capability.revoke",
    resource: { type: "Revocation", kind: "run", id: "74/2" },
  }),
  base(22, {
    type: "revoke",
    action: "capability.revoke",
    resource: { type: "Revocation", kind: "subject", id: "nobody" },
  }),
  base(20.25, {
    result: "deny",
    code: "ERR_CAPABILITY_REVOKED",
    action: "code.write",
    detail: { refusal: { capability_id: "cap_a", revoked_by: "capability" } },
  }),
  base(20.5, {
    result: "deny",
    code: "ERR_CAPABILITY_REVOKED",
    action: "code.write",
    detail: { refusal: { capability_id: "cap_a", revoked_by: "capability" } },
  }),
  base(23, {
    result: "deny",
    code: "ERR_CAPABILITY_REVOKED",
    action: "code.write",
    detail: { refusal: { capability_id: "cap_b", revoked_by: "run" } },
  }),
];

const report = computeReport(RECORDS, {
  sinceMs: T0 - 1000,
  untilMs: T0 + 60_000,
  nowMs: T0 + 60_000,
});

describe("computeReport", () => {
  test("window, schema version and record count", () => {
    assert.equal(report.schema_version, 1);
    assert.equal(report.records, RECORDS.length);
    assert.equal(report.window.since, at(-1));
  });

  test("credential lifetime: median and max by zone, write-capable share within 15 minutes", () => {
    assert.deepEqual(report.credential_lifetime.by_zone, [
      { zone: "deployment", capabilities: 1, median_seconds: 300, max_seconds: 300 },
      { zone: "editing", capabilities: 2, median_seconds: 600, max_seconds: 1200 },
      { zone: "planning", capabilities: 1, median_seconds: 1800, max_seconds: 1800 },
    ]);
    assert.deepEqual(report.credential_lifetime.write_capable, {
      capabilities: 3,
      within_15_minutes: 2,
      share: 0.6667,
    });
  });

  test("a capability that only vouches (attests evidence) counts as write-capable", () => {
    const vouching = exchange(1, "cap_v", {
      rule: "validate",
      zone: "validation",
      actions: ["repo.read", "test.attest"],
      ttl: 3600,
    });
    const r = computeReport([vouching], { sinceMs: T0 - 1000, untilMs: T0 + 60_000, nowMs: T0 });
    assert.deepEqual(r.credential_lifetime.write_capable, {
      capabilities: 1,
      within_15_minutes: 0,
      share: 0,
    });
  });

  test("permission surface: granted vs used per rule, unused grants named", () => {
    const edit = report.permission_surface.by_rule.find((r) => r.rule === "edit");
    assert.deepEqual(edit, {
      rule: "edit",
      zones: ["editing"],
      capabilities: 2,
      granted: ["code.write", "infra.change", "repo.read"],
      used: ["code.write", "repo.read"],
      unused: ["infra.change"],
      // The refusals after revocation were attempts too.
      uses: { "code.write": 5, "repo.read": 1 },
    });
    const plan = report.permission_surface.by_rule.find((r) => r.rule === "plan");
    assert.deepEqual(plan?.unused, ["plan.submit", "repo.read"]);
    assert.deepEqual(plan?.used, ["secret.read"]);
  });

  test("denied actions per 1,000 runs: runs are distinct repository/run pairs of exchanges", () => {
    const d = report.denied_actions;
    assert.equal(d.runs, 5);
    assert.deepEqual(d.denied, { writes: 4, secret_reads: 1, promotions: 1 });
    assert.deepEqual(d.per_1000_runs, { writes: 800, secret_reads: 200, promotions: 200 });
    assert.deepEqual(d.would_deny, { writes: 0, secret_reads: 1, promotions: 0 });
  });

  test("policy latency by stage, nearest-rank percentiles", () => {
    const stages = Object.fromEntries(report.policy_latency.by_stage.map((s) => [s.stage, s]));
    assert.deepEqual(stages["exchange"], { stage: "exchange", decisions: 5, p50_ms: 2, p99_ms: 2 });
    assert.deepEqual(stages["edit"], { stage: "edit", decisions: 5, p50_ms: 1, p99_ms: 8 });
    assert.deepEqual(stages["deploy"], { stage: "deploy", decisions: 3, p50_ms: 1, p99_ms: 20 });
    assert.equal(stages["publish"], undefined);
  });

  test("revocation time: revoke to the first refusal of a capability it covers", () => {
    assert.deepEqual(report.revocation_time, {
      revocations: 3,
      observed: 2,
      p50_ms: 250,
      p99_ms: 2000,
      max_ms: 2000,
    });
  });

  test("provenance coverage: verified share of deploy and admission records", () => {
    assert.deepEqual(report.provenance_coverage, {
      deploys: 3,
      verified: 1,
      unverified: 1,
      unknown: 1,
      share: 0.3333,
    });
  });

  test("an empty log gives nulls, not zeros, where nothing was measured", () => {
    const empty = computeReport([], { sinceMs: T0, untilMs: T0, nowMs: T0 });
    assert.equal(empty.credential_lifetime.write_capable.share, null);
    assert.equal(empty.denied_actions.per_1000_runs.writes, null);
    assert.equal(empty.revocation_time.p99_ms, null);
    assert.equal(empty.provenance_coverage.share, null);
    assert.deepEqual(empty.policy_latency.by_stage, []);
  });

  test("a revocation of a run does not cover a capability issued after it", () => {
    const later = [
      base(0, { type: "revoke", resource: { kind: "run", id: "74/9" } }),
      exchange(1, "cap_late", {
        rule: "edit",
        zone: "editing",
        actions: ["code.write"],
        ttl: 600,
        run: "9",
      }),
      base(2, {
        result: "deny",
        code: "ERR_CAPABILITY_REVOKED",
        detail: { refusal: { capability_id: "cap_late", revoked_by: "run" } },
      }),
    ];
    const r = computeReport(later, { sinceMs: T0, untilMs: T0 + 5000, nowMs: T0 });
    assert.equal(r.revocation_time.observed, 0);
  });
});
