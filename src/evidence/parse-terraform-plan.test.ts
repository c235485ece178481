import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { hasCode, type LeashError } from "../errors/index.js";
import { parseDriftCheck } from "./parse-drift-check.js";
import { parseTerraformPlan } from "./parse-terraform-plan.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../../../src/evidence/fixtures/${name}`, import.meta.url), "utf8");

test("a Terraform plan sorts resource changes by action and lists drift", () => {
  assert.deepEqual(parseTerraformPlan(fixture("terraform-plan.json")), {
    kind: "terraform-plan",
    creates: ["aws_s3_bucket.logs"],
    updates: ["aws_security_group.web"],
    // forget (1.7+) leaves the resource running but out of Terraform's hands: treated as a delete.
    deletes: ["aws_instance.legacy", "aws_cloudwatch_log_group.old"],
    replaces: ["module.app.aws_instance.web[0]", "aws_db_instance.main"],
    drifted: ["aws_security_group.web"],
  });
});

test("a refresh-only plan is a drift check", () => {
  const cases: [string, object][] = [
    [
      "terraform-drift.json",
      { drifted: ["aws_security_group.web", "aws_instance.bastion"], clean: false },
    ],
    ["terraform-drift-clean.json", { drifted: [], clean: true }],
  ];
  for (const [name, expected] of cases) {
    assert.deepEqual(parseDriftCheck(fixture(name)), { kind: "drift-check", ...expected }, name);
  }
});

test("Terraform plans and drift checks refuse what they cannot read", () => {
  const plan = JSON.parse(fixture("terraform-plan.json"));
  const withChange = (i: number, change: unknown) => {
    const copy = structuredClone(plan);
    copy.resource_changes[i].change = change;
    return JSON.stringify(copy);
  };
  const cases: [string, string, string, string | undefined][] = [
    [
      "streamed `terraform plan -json` log lines",
      '{"@level":"info","@message":"Terraform 1.7.5"}\n{"@level":"info","@message":"Plan: 1 to add"}',
      "ERR_EVIDENCE_MALFORMED",
      undefined,
    ],
    [
      "human plan output",
      "Terraform will perform the following actions:",
      "ERR_EVIDENCE_MALFORMED",
      undefined,
    ],
    ["state, not a plan", '{"format_version":"1.0","values":{}}', "ERR_EVIDENCE_MALFORMED", ""],
    ["no format_version", '{"resource_changes":[]}', "ERR_EVIDENCE_MALFORMED", "format_version"],
    [
      "errored plan",
      '{"format_version":"1.2","planned_values":{},"errored":true}',
      "ERR_EVIDENCE_INCOMPLETE",
      "errored",
    ],
    [
      "unknown action",
      withChange(3, { actions: ["delete", "update"] }),
      "ERR_EVIDENCE_MALFORMED",
      "resource_changes[3].change.actions",
    ],
    [
      "actions missing",
      withChange(1, {}),
      "ERR_EVIDENCE_MALFORMED",
      "resource_changes[1].change.actions",
    ],
    [
      "action not a string",
      withChange(0, { actions: [1] }),
      "ERR_EVIDENCE_MALFORMED",
      "resource_changes[0].change.actions[0]",
    ],
    [
      "over 10 MiB",
      `{"pad":"${"x".repeat(10 * 1024 * 1024)}"}`,
      "ERR_EVIDENCE_TOO_LARGE",
      undefined,
    ],
  ];
  for (const [name, text, code, path] of cases) {
    const err = catchError(() => parseTerraformPlan(text));
    assert.ok(hasCode(err, code), `${name}: ${err.code}`);
    assert.equal(err.detail?.["path"], path, name);
  }
  const drift = catchError(() =>
    parseDriftCheck('{"format_version":"1.2","resource_drift":[{"address":"a"}]}'),
  );
  assert.ok(hasCode(drift, "ERR_EVIDENCE_MALFORMED"));
  assert.equal(drift.detail?.["path"], "resource_drift[0].change");
});

test("a refusal never echoes plan values (they may be secrets)", () => {
  const plan = JSON.parse(fixture("terraform-plan.json"));
  plan.resource_changes[4].change.actions = ["hunter2-db-password"];
  const err = catchError(() => parseTerraformPlan(JSON.stringify(plan)));
  assert.ok(hasCode(err, "ERR_EVIDENCE_MALFORMED"));
  assert.ok(!JSON.stringify({ m: err.message, d: err.detail }).includes("hunter2"));
  const broken = catchError(() => parseTerraformPlan('{"password":"hunter2" oops}'));
  assert.ok(!JSON.stringify({ m: broken.message, d: broken.detail }).includes("hunter2"));
});

function catchError(fn: () => unknown): LeashError {
  try {
    fn();
  } catch (err) {
    return err as LeashError;
  }
  throw new Error("expected a throw");
}
