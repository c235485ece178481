import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import Database from "better-sqlite3";
import { startTestIssuer, TEST_SHA, type TestIssuer } from "./support/oidc-issuer.js";
import {
  ADMIN_TOKEN,
  bearerFor,
  postJson,
  startTestLeash,
  type TestLeash,
} from "./support/test-leash.js";

const lockfile = (lodash: string) =>
  JSON.stringify({
    name: "app",
    lockfileVersion: 3,
    requires: true,
    packages: {
      "": { name: "app", version: "1.0.0", dependencies: { express: "^4.0.0" } },
      "node_modules/express": { version: "4.18.2", dependencies: { lodash: "^4.17.0" } },
      "node_modules/lodash": { version: lodash },
    },
  });
const cleanAudit = {
  auditReportVersion: 2,
  vulnerabilities: {},
  metadata: {
    vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: 0 },
    dependencies: { prod: 2, dev: 0, optional: 0, peer: 0, peerOptional: 0, total: 2 },
  },
};
const junit = `<?xml version="1.0"?><testsuites><testsuite name="a" tests="2"><testcase name="x"/><testcase name="y"/></testsuite></testsuites>`;

describe("POST /v1/authorize and /v1/attestations", () => {
  let issuer: TestIssuer;
  let t: TestLeash;
  let editing: Record<string, string>;
  let validation: Record<string, string>;
  before(async () => {
    issuer = await startTestIssuer();
    t = await startTestLeash({
      issuer,
      extra: { policy: { shadow_dirs: ["shadow"] } },
      shadowPolicies: {
        "deny-all.cedar":
          '@id("shadow.deny-code-write")\n@reason("candidate: no code writes")\nforbid (principal, action == Leash::Action::"code.write", resource);\n',
      },
    });
    editing = await bearerFor(t, "editing");
    validation = await bearerFor(t, "validation");
  });
  after(async () => {
    await t.close();
    await issuer.close();
  });

  const authorize = (headers: Record<string, string>, body: unknown) =>
    postJson(`${t.url}/v1/authorize`, body, headers);
  const branch = (id: string, paths = ["src/a.ts"]) => ({ type: "Branch", id, attrs: { paths } });

  test("code.write to an owned branch is allowed and names its permit", async () => {
    const res = await authorize(editing, {
      action: "code.write",
      resource: branch("refs/heads/agent/fix"),
    });
    assert.equal(res.status, 200);
    assert.equal(res.body["decision"], "allow");
    assert.equal(res.body["enforced"], true);
    assert.ok((res.body["policies"] as string[]).length > 0);
  });

  const denies: { name: string; body: unknown; code: string }[] = [
    {
      name: "a protected branch",
      body: { action: "code.write", resource: branch("refs/heads/main") },
      code: "protected_branch",
    },
    {
      name: "a workflow file without approval",
      body: {
        action: "code.write",
        resource: branch("refs/heads/agent/fix", [".github/workflows/ci.yml"]),
      },
      code: "workflow_change_needs_approval",
    },
    {
      name: "an action the capability was not granted",
      body: {
        action: "deploy",
        resource: { type: "Environment", id: "production" },
        context: { artifact: `app@sha256:${"a".repeat(64)}` },
      },
      code: "action_not_granted",
    },
    {
      name: "a dependency change without evidence",
      body: { action: "dependency.change", resource: { type: "Repository", id: "acme/app" } },
      code: "lockfile_diff_missing",
    },
  ];
  for (const c of denies) {
    test(`denies ${c.name} with reason ${c.code}, recorded`, async () => {
      const res = await authorize(editing, c.body);
      assert.equal(res.status, 200);
      assert.equal(res.body["decision"], "deny");
      const codes = (res.body["reasons"] as { code: string }[]).map((r) => r.code);
      assert.ok(codes.includes(c.code), codes.join(","));
      const row = await t.leash.store.getDecision(String(res.body["decision_id"]));
      assert.equal(row?.result, "deny");
    });
  }

  test("a token pasted into a resource id, path or artifact reference is masked in the record", async () => {
    const token = `ghp_${"Zx9k".repeat(9)}`;
    const res = await authorize(editing, {
      action: "code.write",
      resource: branch(`refs/heads/agent/${token}`, [`notes/${token}.md`]),
      context: { artifact: `ghcr.io/acme/app:${token}` },
    });
    assert.equal(res.status, 200);
    const row = await t.leash.store.getDecision(String(res.body["decision_id"]));
    assert.ok(row);
    assert.equal(row.body.includes(token), false, "the token is nowhere in the record");
    const recorded = JSON.parse(row.body).resource;
    assert.equal(recorded.id, "refs/heads/agent/[REDACTED:github-token]");
    assert.deepEqual(recorded.attrs.paths, ["notes/[REDACTED:github-token].md"]);
    assert.deepEqual(JSON.parse(row.body).artifacts, ["ghcr.io/acme/app:[REDACTED:github-token]"]);
  });

  test("an agent's context.sha doesn't choose the commit whose evidence is looked up", async () => {
    const other = "9".repeat(40);
    const junit = `<?xml version="1.0"?><testsuites><testsuite name="a" tests="1"><testcase name="x"/></testsuite></testsuites>`;
    const attested = await postJson(
      `${t.url}/v1/attestations`,
      { kind: "junit", subject: { sha: other }, content: junit },
      validation,
    );
    assert.equal(attested.status, 201, JSON.stringify(attested.body));
    const res = await authorize(editing, {
      action: "code.write",
      resource: branch("refs/heads/agent/fix"),
      context: { sha: other },
    });
    assert.equal(res.status, 200);
    const record = JSON.parse(
      (await t.leash.store.getDecision(String(res.body["decision_id"])))?.body ?? "{}",
    );
    const ids = (record.evidence ?? []).map((e: { id: string }) => e.id);
    assert.ok(!ids.includes(attested.body["id"]), `looked up evidence for ${other}: ${ids}`);
    assert.equal(record.detail.sha, other, "the commit the agent named is still on the record");
  });

  test("an invalid capability is a 401 with a code, recorded", async () => {
    const res = await authorize(
      { authorization: "Bearer x.y.z" },
      { action: "code.write", resource: branch("refs/heads/agent/fix") },
    );
    assert.equal(res.status, 401);
    assert.equal(res.body["code"], "ERR_CAPABILITY_INVALID");
    assert.ok(await t.leash.store.getDecision(String(res.body["decision_id"])));
  });

  test("a malformed body is a 400 naming the field", async () => {
    const res = await authorize(editing, { action: "code.write", resource: { type: "Branch" } });
    assert.equal(res.status, 400);
    assert.equal(res.body["code"], "ERR_REQUEST_MALFORMED");
    assert.match(String(res.body["error_description"]), /body\.resource\.id/);
  });

  test("the shadow set decides beside the active one and disagreements are recorded", async () => {
    const res = await authorize(editing, {
      action: "code.write",
      resource: branch("refs/heads/agent/fix"),
    });
    const body = JSON.parse(
      (await t.leash.store.getDecision(String(res.body["decision_id"])))?.body ?? "{}",
    );
    assert.equal(res.body["decision"], "allow");
    assert.deepEqual([body.shadow.decision, body.shadow.disagrees], ["deny", true]);
  });

  test("a dependency change is allowed once editing attests the lockfile diff and validation a clean scan", async () => {
    const diff = await postJson(
      `${t.url}/v1/attestations`,
      {
        kind: "lockfile-diff",
        subject: { sha: TEST_SHA },
        content: {
          lockfile: "package-lock.json",
          before: lockfile("4.17.20"),
          after: lockfile("4.17.21"),
        },
      },
      editing,
    );
    assert.equal(diff.status, 201, JSON.stringify(diff.body));
    assert.match(String(diff.body["id"]), /^att_/);
    const stillMissing = await authorize(editing, {
      action: "dependency.change",
      resource: { type: "Repository", id: "acme/app" },
    });
    assert.equal(stillMissing.body["decision"], "deny", JSON.stringify(stillMissing.body));
    // Self-reported scans never justify a write.
    const inline = await authorize(editing, {
      action: "dependency.change",
      resource: { type: "Repository", id: "acme/app" },
      evidence: [{ kind: "npm-audit", subject: { sha: TEST_SHA }, content: cleanAudit }],
    });
    assert.equal(inline.body["decision"], "deny");
    const scan = await postJson(
      `${t.url}/v1/attestations`,
      { kind: "npm-audit", subject: { sha: TEST_SHA }, content: cleanAudit },
      validation,
    );
    assert.equal(scan.status, 201, JSON.stringify(scan.body));
    const allowed = await authorize(editing, {
      action: "dependency.change",
      resource: { type: "Repository", id: "acme/app" },
      evidence: [String(diff.body["id"]), String(scan.body["id"])],
    });
    assert.equal(allowed.body["decision"], "allow", JSON.stringify(allowed.body));
  });

  test("a zone attests only the kinds its grant allows", async () => {
    const res = await postJson(
      `${t.url}/v1/attestations`,
      { kind: "junit", subject: { sha: TEST_SHA }, content: junit },
      editing,
    );
    assert.equal(res.status, 403);
    assert.equal(res.body["code"], "ERR_ATTEST_KIND_NOT_ALLOWED");
  });

  test("malformed evidence is a 400 naming the place, and nothing is stored", async () => {
    const before = (await t.leash.store.findAttestations({ repositoryId: "74" })).length;
    const res = await postJson(
      `${t.url}/v1/attestations`,
      { kind: "junit", subject: { sha: TEST_SHA }, content: "<testsuite><testcase></testsuite>" },
      validation,
    );
    assert.equal(res.status, 400);
    assert.equal(res.body["code"], "ERR_EVIDENCE_MALFORMED");
    assert.equal((await t.leash.store.findAttestations({ repositoryId: "74" })).length, before);
  });

  test("an attestation edited in the database no longer counts as evidence", async () => {
    const res = await postJson(
      `${t.url}/v1/attestations`,
      { kind: "junit", subject: { sha: TEST_SHA }, content: junit },
      validation,
    );
    const id = String(res.body["id"]);
    const db = new Database(`${t.dir}/state/leash.db`);
    const row = db.prepare("SELECT envelope FROM attestations WHERE id = ?").get(id) as {
      envelope: string;
    };
    const env = JSON.parse(row.envelope);
    const stmt = JSON.parse(Buffer.from(env.payload, "base64").toString());
    stmt.predicate.facts.failures = 0;
    stmt.predicate.facts.total = 999;
    env.payload = Buffer.from(JSON.stringify(stmt)).toString("base64");
    db.prepare("UPDATE attestations SET envelope = ? WHERE id = ?").run(JSON.stringify(env), id);
    db.close();
    const denied = await authorize(editing, {
      action: "code.write",
      resource: branch("refs/heads/agent/fix"),
      evidence: [id],
    });
    assert.equal(denied.status, 400);
    assert.equal(denied.body["code"], "ERR_AUTHORIZE_EVIDENCE_INVALID");
  });

  test("admins read a decision by id", async () => {
    const res = await authorize(editing, {
      action: "code.write",
      resource: branch("refs/heads/agent/fix"),
    });
    const got = await fetch(`${t.url}/v1/decisions/${res.body["decision_id"]}`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const body = (await got.json()) as Record<string, unknown>;
    assert.equal(body["decision_id"], res.body["decision_id"]);
    assert.equal(body["action"], "code.write");
    assert.equal((await fetch(`${t.url}/v1/decisions/${res.body["decision_id"]}`)).status, 401);
  });
});

describe("observe mode", () => {
  let issuer: TestIssuer;
  let t: TestLeash;
  before(async () => {
    issuer = await startTestIssuer();
    t = await startTestLeash({ issuer, extra: { policy: { mode: "observe" } } });
  });
  after(async () => {
    await t.close();
    await issuer.close();
  });

  test("a deny is let through, marked would_deny and not enforced, and recorded as such", async () => {
    const cap = String((await t.exchange("editing")).body["access_token"]);
    const res = await postJson(
      `${t.url}/v1/authorize`,
      {
        action: "code.write",
        resource: { type: "Branch", id: "refs/heads/main", attrs: { paths: ["a"] } },
      },
      { authorization: `Bearer ${cap}` },
    );
    assert.deepEqual(
      [res.body["decision"], res.body["enforced"], res.body["would_deny"], res.body["mode"]],
      ["allow", false, true, "observe"],
    );
    const body = JSON.parse(
      (await t.leash.store.getDecision(String(res.body["decision_id"])))?.body ?? "{}",
    );
    assert.deepEqual([body.would_deny, body.enforced], [true, false]);
  });
});
