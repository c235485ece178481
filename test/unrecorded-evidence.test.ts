/**
 * Fail closed on the evidence path: an attestation whose decision record cannot be written is
 * refused and stores nothing (evidence commits in its record's transaction), so it can never
 * justify a write. The record write fails for real: a trigger in leash's own SQLite file
 * aborts every insert into the decision log, as a full disk would.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startTestIssuer, TEST_SHA, type TestIssuer } from "./support/oidc-issuer.js";
import { refuseInserts, runSql } from "./support/run-sql.js";
import { postJson, startTestLeash, type TestLeash } from "./support/test-leash.js";

const junit = `<?xml version="1.0"?><testsuites><testsuite name="a" tests="1"><testcase name="x"/></testsuite></testsuites>`;

describe("an attestation whose record cannot be written", () => {
  let issuer: TestIssuer;
  let t: TestLeash;
  before(async () => {
    issuer = await startTestIssuer();
    t = await startTestLeash({ issuer });
  });
  after(async () => {
    await t.close();
    await issuer.close();
  });
  const sql = (text: string) => runSql(join(t.dir, "state", "leash.db"), text);
  const attestations = () => Number(sql("SELECT count(*) AS n FROM attestations")[0]?.["n"]);

  test("is refused with ERR_AUDIT_WRITE_FAILED and leaves no evidence; once records land it is stored", async () => {
    const exchanged = await t.exchange("validation");
    const auth = { authorization: `Bearer ${exchanged.body["access_token"]}` };
    const attest = () =>
      postJson(
        `${t.url}/v1/attestations`,
        { kind: "junit", subject: { sha: TEST_SHA }, content: junit },
        auth,
      );
    assert.equal(attestations(), 0);

    const acceptRecords = refuseInserts(join(t.dir, "state", "leash.db"), "decisions");
    const refused = await attest();
    assert.equal(refused.status, 503, JSON.stringify(refused.body));
    assert.equal(refused.body["code"], "ERR_AUDIT_WRITE_FAILED");
    assert.equal(attestations(), 0, "the refused decision stored no evidence");

    acceptRecords();
    const stored = await attest();
    assert.equal(stored.status, 201, JSON.stringify(stored.body));
    assert.equal(attestations(), 1);
    const row = await t.leash.store.getDecision(String(stored.body["decision_id"]));
    assert.equal(row?.result, "allow");
  });
});
