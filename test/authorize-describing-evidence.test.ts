import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { criticalNpmAudit, npmLockfile } from "./support/npm-evidence.js";
import { startTestIssuer, TEST_SHA, type TestIssuer } from "./support/oidc-issuer.js";
import { bearerFor, postJson, startTestLeash, type TestLeash } from "./support/test-leash.js";

// Its own leash: the evidence below about TEST_SHA would change other files' decisions.
const lock = (names: string[]) =>
  npmLockfile(names, Object.fromEntries(names.map((n) => [n, "*"])));
const critical = criticalNpmAudit();
const noDrift = { format_version: "1.2", resource_drift: [] };

describe("evidence from the actor's own zone describes a change but never makes it laxer", () => {
  let issuer: TestIssuer;
  let t: TestLeash;
  let editing: Record<string, string>;
  let validation: Record<string, string>;
  before(async () => {
    issuer = await startTestIssuer();
    t = await startTestLeash({ issuer });
    editing = await bearerFor(t, "editing");
    validation = await bearerFor(t, "validation");
  });
  after(async () => {
    await t.close();
    await issuer.close();
  });
  const attest = async (headers: Record<string, string>, kind: string, content: unknown) => {
    const res = await postJson(
      `${t.url}/v1/attestations`,
      { kind, subject: { sha: TEST_SHA }, content },
      headers,
    );
    assert.equal(res.status, 201, JSON.stringify(res.body));
  };
  const codesOf = async (action: string, resource: unknown) => {
    const res = await postJson(`${t.url}/v1/authorize`, { action, resource }, editing);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const codes = (res.body["reasons"] as { code: string }[]).map((r) => r.code);
    return [res.body["decision"], ...codes];
  };

  test("a lockfile diffed against itself by the editing agent does not hide a critical finding", async () => {
    const real = lock(["lodash", "evil-pkg"]);
    await attest(editing, "lockfile-diff", {
      lockfile: "package-lock.json",
      before: real,
      after: real,
    });
    await attest(validation, "npm-audit", critical);
    const branch = {
      type: "Branch",
      id: "refs/heads/agent/fix",
      attrs: { paths: ["package-lock.json"] },
    };
    assert.deepEqual(await codesOf("dependency.change", branch), ["deny", "vulnerable_dependency"]);
  });

  test("the editing agent's own drift check does not justify its infra change; validation's does", async () => {
    const stack = { type: "Stack", id: "acme/app", attrs: { repository_id: "74" } };
    await attest(editing, "terraform-plan", { format_version: "1.2", resource_changes: [] });
    await attest(editing, "drift-check", noDrift);
    assert.deepEqual(await codesOf("infra.change", stack), ["deny", "drift_check_missing"]);
    // The validation zone may now describe changes too (change.attest).
    await attest(validation, "drift-check", noDrift);
    assert.deepEqual(await codesOf("infra.change", stack), ["allow", "allowed"]);
  });
});
