import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createManualClock } from "../src/clock/index.js";
import { criticalNpmAudit, npmLockfile } from "./support/npm-evidence.js";
import { startTestIssuer, TEST_SHA, type TestIssuer } from "./support/oidc-issuer.js";
import { bearerFor, postJson, startTestLeash, type TestLeash } from "./support/test-leash.js";

// Its own leash: the flood below leaves TEST_SHA with more attestations than a decision reads.
const lock = (names: string[]) => npmLockfile(names, { lodash: "*" });
const critical = criticalNpmAudit();

describe("the evidence a decision reads is never silently cut short", () => {
  let issuer: TestIssuer;
  let t: TestLeash;
  const clock = createManualClock(Date.now());
  let editing: Record<string, string>;
  let validation: Record<string, string>;
  before(async () => {
    issuer = await startTestIssuer();
    t = await startTestLeash({ issuer, clock });
    editing = await bearerFor(t, "editing");
    validation = await bearerFor(t, "validation");
  });
  after(async () => {
    await t.close();
    await issuer.close();
  });
  const attest = async (headers: Record<string, string>, kind: string, content: unknown) => {
    clock.advance(1); // each row newer than the last
    const res = await postJson(
      `${t.url}/v1/attestations`,
      { kind, subject: { sha: TEST_SHA }, content },
      headers,
    );
    assert.equal(res.status, 201, JSON.stringify(res.body));
  };
  const askDependencyChange = () =>
    postJson(
      `${t.url}/v1/authorize`,
      {
        action: "dependency.change",
        resource: {
          type: "Branch",
          id: "refs/heads/agent/fix",
          attrs: { paths: ["package-lock.json"] },
        },
      },
      editing,
    );

  test("an agent flooding its commit with attestations gets a deny, not an older finding dropped", async () => {
    await attest(validation, "npm-audit", critical);
    await attest(validation, "osv", { results: [] });
    const diff = { lockfile: "package-lock.json", before: lock([]), after: lock(["evil-pkg"]) };
    await attest(editing, "lockfile-diff", diff);
    const first = await askDependencyChange();
    assert.equal(first.body["decision"], "deny", JSON.stringify(first.body));
    const codes = (first.body["reasons"] as { code: string }[]).map((r) => r.code);
    assert.deepEqual(codes, ["vulnerable_dependency"]);
    // 197 harmless rows bring the commit to 200 attestations, as many as a decision reads:
    // it is still decided, on all of them.
    const harmless = () =>
      attest(editing, "drift-check", { format_version: "1.2", resource_drift: [] });
    for (let i = 0; i < 197; i++) await harmless();
    const full = await askDependencyChange();
    assert.equal(full.status, 200, JSON.stringify(full.body));
    assert.deepEqual(
      (full.body["reasons"] as { code: string }[]).map((r) => r.code),
      ["vulnerable_dependency"],
    );
    // One more is one more than a decision reads.
    await harmless();
    const flooded = await askDependencyChange();
    assert.equal(flooded.status, 409, JSON.stringify(flooded.body));
    assert.equal(flooded.body["code"], "ERR_AUTHORIZE_EVIDENCE_TOO_MANY");
    assert.ok(String(flooded.body["error_description"]).includes(TEST_SHA));
    const record = await t.leash.store.getDecision(String(flooded.body["decision_id"]));
    assert.equal(JSON.parse(record?.body ?? "{}").result, "deny");
  });
});
