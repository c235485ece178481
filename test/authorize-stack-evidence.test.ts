import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { runLeashCli } from "./support/cli.js";
import { startTestIssuer, type TestIssuer } from "./support/oidc-issuer.js";
import { postJson, startTestLeash, type TestLeash } from "./support/test-leash.js";

// Two stacks in acme/app: staging and production (production by config). Each test decides
// its own commit, so evidence one test attests is never about another's decision.
const harmless = {
  format_version: "1.2",
  resource_changes: [{ address: "aws_s3_bucket.logs", change: { actions: ["create"] } }],
};
const destructive = {
  format_version: "1.2",
  resource_changes: [{ address: "aws_db_instance.main", change: { actions: ["delete"] } }],
};
const noDrift = { format_version: "1.2", resource_drift: [] };
const commit = (digit: string) => digit.repeat(40);
const stack = (id: string) => ({ type: "Stack", id, attrs: { repository_id: "74" } });

describe("plans and drift checks count only for the stack they describe", () => {
  let issuer: TestIssuer;
  let t: TestLeash;
  before(async () => {
    issuer = await startTestIssuer();
    t = await startTestLeash({ issuer, extra: { policy: { production_stacks: ["production"] } } });
  });
  after(async () => {
    await t.close();
    await issuer.close();
  });

  /** Capabilities of the editing and validation zones for jobs of one commit. */
  const jobsOf = async (sha: string) => {
    const token = async (zone: string) =>
      String((await t.exchange(zone, { sha })).body["access_token"]);
    const editing = await token("editing");
    const validation = await token("validation");
    const attest = async (cap: string, body: Record<string, unknown>) => {
      const res = await postJson(
        `${t.url}/v1/attestations`,
        { subject: { sha }, ...body },
        { authorization: `Bearer ${cap}` },
      );
      return res;
    };
    const attested = async (cap: string, body: Record<string, unknown>) => {
      const res = await attest(cap, body);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body;
    };
    const decide = async (resource: unknown, evidence: unknown[] = []) => {
      const res = await postJson(
        `${t.url}/v1/authorize`,
        { action: "infra.change", resource, evidence },
        { authorization: `Bearer ${editing}` },
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const reasons = res.body["reasons"] as { code: string; message: string }[];
      return { codes: [res.body["decision"], ...reasons.map((r) => r.code)], reasons };
    };
    return { editing, validation, attest, attested, decide };
  };

  test("a harmless plan of staging does not let the agent change production without approval", async () => {
    const { editing, validation, attested, decide } = await jobsOf(commit("1"));
    const plan = "terraform-plan";
    const staging = await attested(editing, { kind: plan, stack: "staging", content: harmless });
    await attested(validation, { kind: "drift-check", stack: "staging", content: noDrift });
    await attested(validation, { kind: "drift-check", stack: "production", content: noDrift });
    const denied = await decide(stack("production"));
    assert.deepEqual(denied.codes, ["deny", "plan_missing"]);
    assert.match(denied.reasons[0]?.message ?? "", /terraform plan of stack production for /);
    // Named by id in the request, the staging plan goes through the same selection.
    const byId = await decide(stack("production"), [staging["id"]]);
    assert.deepEqual(byId.codes, ["deny", "plan_missing"]);
    assert.deepEqual((await decide(stack("staging"))).codes, ["allow", "allowed"]);
    // Production's own plan decides production: destructive, it needs an admin.
    await attested(editing, { kind: plan, stack: "production", content: destructive });
    assert.deepEqual((await decide(stack("production"))).codes, [
      "deny",
      "destructive_change_needs_approval",
    ]);
    assert.deepEqual((await decide(stack("staging"))).codes, ["allow", "allowed"]);
  });

  test("a clean drift check of staging does not vouch for production", async () => {
    const { editing, validation, attested, decide } = await jobsOf(commit("2"));
    await attested(editing, { kind: "terraform-plan", stack: "production", content: harmless });
    await attested(validation, { kind: "drift-check", stack: "staging", content: noDrift });
    const denied = await decide(stack("production"));
    assert.deepEqual(denied.codes, ["deny", "drift_check_missing"]);
    assert.match(denied.reasons[0]?.message ?? "", /drift check of stack production for /);
    await attested(validation, { kind: "drift-check", stack: "production", content: noDrift });
    assert.deepEqual((await decide(stack("production"))).codes, ["allow", "allowed"]);
  });

  test("without a stack, a plan and drift check describe the repository's own stack", async () => {
    const { editing, validation, attested, decide } = await jobsOf(commit("3"));
    await attested(editing, { kind: "terraform-plan", content: harmless });
    await attested(validation, { kind: "drift-check", content: noDrift });
    assert.deepEqual((await decide(stack("acme/app"))).codes, ["allow", "allowed"]);
    assert.deepEqual((await decide(stack("production"))).codes, [
      "deny",
      "plan_missing",
      "drift_check_missing",
    ]);
  });

  test("the signed statement and the decision record name the stack", async () => {
    const { editing, attested } = await jobsOf(commit("4"));
    const named = await attested(editing, {
      kind: "terraform-plan",
      stack: "production",
      content: harmless,
    });
    const unnamed = await attested(editing, { kind: "drift-check", content: noDrift });
    const predicateOf = (body: Record<string, unknown>) => {
      const envelope = body["envelope"] as { payload: string };
      const statement = JSON.parse(Buffer.from(envelope.payload, "base64").toString("utf8"));
      return statement.predicate as { facts: { kind: string; stack?: string } };
    };
    assert.equal(predicateOf(named).facts.stack, "production");
    assert.equal(predicateOf(unnamed).facts.stack, "acme/app");
    const record = await t.leash.store.getDecision(String(named["decision_id"]));
    assert.equal(JSON.parse(record?.body ?? "{}").resource?.stack, "production");
  });

  test("inline (self-reported) plans are bound to their stack too", async () => {
    const { editing, validation, attested, decide } = await jobsOf(commit("5"));
    await attested(editing, { kind: "terraform-plan", stack: "production", content: harmless });
    await attested(validation, { kind: "drift-check", stack: "production", content: noDrift });
    const inline = (name: string) => ({
      kind: "terraform-plan",
      subject: { sha: commit("5") },
      stack: name,
      content: destructive,
    });
    // The agent's own word of a destructive plan makes its change stricter, for that stack only.
    assert.deepEqual((await decide(stack("production"), [inline("production")])).codes, [
      "deny",
      "destructive_change_needs_approval",
    ]);
    assert.deepEqual((await decide(stack("production"), [inline("staging")])).codes, [
      "allow",
      "allowed",
    ]);
  });

  test("attest refuses a bad stack name, or a stack on other kinds, and stores nothing", async () => {
    const sha = commit("6");
    const { editing, validation, attest } = await jobsOf(sha);
    const stored = async () =>
      (
        await t.leash.store.findEvidenceAttestations("74", {
          shas: [sha],
          digests: [],
          kinds: [],
          limit: 10,
        })
      ).rows.length;
    const cases: [string, string, Record<string, unknown>][] = [
      ["a space", editing, { kind: "terraform-plan", stack: "prod eu", content: harmless }],
      ["a newline", validation, { kind: "drift-check", stack: "a\nb", content: noDrift }],
      [
        "a dot-dot segment",
        editing,
        { kind: "terraform-plan", stack: "a/../b", content: harmless },
      ],
      ["empty", editing, { kind: "terraform-plan", stack: "", content: harmless }],
      ["too long", editing, { kind: "terraform-plan", stack: "s".repeat(257), content: harmless }],
      ["a stack on test results", validation, { kind: "junit", stack: "production", content: "" }],
    ];
    for (const [name, cap, body] of cases) {
      const res = await attest(cap, body);
      assert.equal(res.status, 400, name);
      assert.equal(res.body["code"], "ERR_EVIDENCE_STACK_INVALID", name);
      const record = await t.leash.store.getDecision(String(res.body["decision_id"]));
      assert.equal(JSON.parse(record?.body ?? "{}").code, "ERR_EVIDENCE_STACK_INVALID", name);
    }
    assert.equal(await stored(), 0);
  });

  test("leash attest terraform-plan --stack names the stack", async () => {
    const sha = commit("7");
    const { editing, validation, attested, decide } = await jobsOf(sha);
    const dir = mkdtempSync(join(tmpdir(), "leash-stack-cli-"));
    try {
      const file = join(dir, "plan.json");
      writeFileSync(file, JSON.stringify(harmless));
      const run = (stackName: string) =>
        runLeashCli(
          [
            "attest",
            "terraform-plan",
            file,
            "--subject",
            sha,
            "--stack",
            stackName,
            "--server",
            t.url,
            "--capability",
            editing,
          ],
          {},
        );
      const ok = await run("production");
      assert.equal(ok.code, 0, ok.err);
      assert.match(ok.out, /^att_/);
      const bad = await run("prod eu");
      assert.equal(bad.code, 1);
      assert.match(bad.err, /ERR_EVIDENCE_STACK_INVALID/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await attested(validation, { kind: "drift-check", stack: "production", content: noDrift });
    assert.deepEqual((await decide(stack("production"))).codes, ["allow", "allowed"]);
  });
});
