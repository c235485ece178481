import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { authenticateCapability, authorizeAction } from "../src/broker/index.js";
import type { EvidenceItem } from "../src/evidence/index.js";
import { TEST_SHA } from "./support/oidc-issuer.js";
import { bearerFor, postJson, useTestLeash } from "./support/test-leash.js";

/**
 * Zone "leash" is what leash computed itself (the git gateway's diff of a push's lockfiles):
 * only an enforcement point inside leash, holding a verified capability, can hand such
 * evidence to a decision. An agent's request can't carry it or name the zone.
 */
describe("evidence computed by leash (zone leash)", () => {
  const live = useTestLeash();
  const leashDiff: EvidenceItem = {
    id: "lkd_test",
    zone: "leash",
    repositoryId: "74",
    selfReported: false,
    subject: { sha: TEST_SHA },
    path: "package-lock.json",
    facts: {
      kind: "lockfile-diff",
      lockfile: "package-lock.json",
      added: [],
      removed: [],
      changed: [
        {
          name: "undici",
          from: "6.1.0",
          to: "6.2.0",
          direct: true,
          hasInstallScript: false,
          majorBump: false,
        },
      ],
      newDirect: 0,
      newWithInstallScript: 0,
      majorBumps: 0,
      highRisk: false,
    },
  };
  const question = {
    action: "dependency.change",
    resource: { type: "Repository" as const, id: "acme/app", attrs: {} },
    context: {},
    evidence: [],
    computed: { items: [leashDiff], missing: [] },
  };
  const attestCleanScan = async () => {
    const validation = await bearerFor(live.t, "validation");
    const body = {
      kind: "npm-audit",
      subject: { sha: TEST_SHA },
      content: { auditReportVersion: 2, vulnerabilities: {} },
    };
    const res = await postJson(`${live.t.url}/v1/attestations`, body, validation);
    assert.equal(res.status, 201, JSON.stringify(res.body));
  };
  const token = async () => String((await live.t.exchange("editing")).body["access_token"]);

  test("an in-process enforcement point's computed diff decides, and the record keeps its digest", async () => {
    await attestCleanScan();
    const cap = await authenticateCapability(live.t.leash, await token(), undefined);
    const decided = await authorizeAction(live.t.leash, cap, question);
    assert.ok(decided.ok);
    assert.equal(decided.value.decision, "allow");
    const row = await live.t.leash.store.getDecision(decided.decisionId);
    const record = JSON.parse(String(row?.body)) as { evidence: Record<string, unknown>[] };
    const computed = record.evidence.find((e) => e["zone"] === "leash");
    assert.equal(computed?.["path"], "package-lock.json");
    assert.equal(computed?.["high_risk"], false);
    assert.match(String(computed?.["facts_digest"]), /^sha256:[0-9a-f]{64}$/);
  });

  test("a caller presenting a token (an agent's request) can't hand leash computed evidence", async () => {
    await attestCleanScan();
    const caller = { token: await token(), dpop: undefined };
    const decided = await authorizeAction(live.t.leash, caller, question);
    assert.ok(decided.ok);
    assert.equal(decided.value.decision, "deny");
    assert.equal(decided.value.reasons[0]?.code, "lockfile_diff_missing");
  });

  const httpRefusals: { name: string; body: Record<string, unknown> }[] = [
    {
      name: "an inline evidence item naming zone leash",
      body: {
        action: "dependency.change",
        resource: { type: "Repository", id: "acme/app" },
        evidence: [
          {
            kind: "lockfile-diff",
            subject: { sha: TEST_SHA },
            zone: "leash",
            content: { lockfile: "package-lock.json", before: "", after: "{}" },
          },
        ],
      },
    },
    {
      name: "a request carrying computed evidence",
      body: {
        action: "dependency.change",
        resource: { type: "Repository", id: "acme/app" },
        computed: { items: [leashDiff], missing: [] },
      },
    },
  ];
  for (const c of httpRefusals) {
    test(`POST /v1/authorize refuses ${c.name} (ERR_REQUEST_MALFORMED)`, async () => {
      const editing = await bearerFor(live.t, "editing");
      const res = await postJson(`${live.t.url}/v1/authorize`, c.body, editing);
      assert.equal(res.status, 400);
      assert.equal(res.body["code"], "ERR_REQUEST_MALFORMED");
    });
  }

  test("an inline lockfile diff is self-reported, never zone leash, and does not count", async () => {
    await attestCleanScan();
    const editing = await bearerFor(live.t, "editing");
    const after = JSON.stringify({ lockfileVersion: 3, packages: { "": {} } });
    const body = {
      action: "dependency.change",
      resource: { type: "Repository", id: "acme/app" },
      evidence: [
        {
          kind: "lockfile-diff",
          subject: { sha: TEST_SHA },
          content: { lockfile: "package-lock.json", before: after, after },
        },
      ],
    };
    const res = await postJson(`${live.t.url}/v1/authorize`, body, editing);
    assert.equal(res.status, 200);
    assert.equal(res.body["decision"], "deny");
    const codes = (res.body["reasons"] as { code: string }[]).map((r) => r.code);
    assert.ok(codes.includes("lockfile_diff_missing"), codes.join(","));
    const row = await live.t.leash.store.getDecision(String(res.body["decision_id"]));
    const record = JSON.parse(String(row?.body)) as { evidence: { id: string; zone: string }[] };
    assert.deepEqual(
      record.evidence.filter((e) => e.id === "inline").map((e) => e.zone),
      [""],
    );
    assert.ok(!record.evidence.some((e) => e.zone === "leash"));
  });
});
