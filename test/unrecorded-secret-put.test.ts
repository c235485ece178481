/**
 * Fail closed on the secret broker: a put whose decision record cannot be written is refused
 * and changes nothing — a stored secret keeps its version and value, a new one is not
 * created. The record write fails for real: a trigger in leash's own SQLite file aborts
 * every insert into the decision log, as a full disk would.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { readSecretForLeash } from "../src/broker/index.js";
import { startTestIssuer, type TestIssuer } from "./support/oidc-issuer.js";
import { refuseInserts } from "./support/run-sql.js";
import { ADMIN_TOKEN, startTestLeash, type TestLeash } from "./support/test-leash.js";

const FIRST = "npm_FirstVersionOfTheToken_4b1d9e";
const SECOND = "npm_SecondVersionOfTheToken_8c3e1f";

describe("a secret put whose record cannot be written", () => {
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
  const put = async (name: string, value: string) => {
    const res = await fetch(`${t.url}/v1/secrets/${name}`, {
      method: "PUT",
      headers: { "content-type": "application/json", authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({ value }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const refuseRecords = () => refuseInserts(join(t.dir, "state", "leash.db"), "decisions");

  test("is refused with ERR_AUDIT_WRITE_FAILED and the stored version and value stay", async () => {
    assert.equal((await put("NPM_TOKEN", FIRST)).status, 201);

    const acceptRecords = refuseRecords();
    const refused = await put("NPM_TOKEN", SECOND);
    acceptRecords();
    assert.equal(refused.status, 503, JSON.stringify(refused.body));
    assert.equal(refused.body["code"], "ERR_AUDIT_WRITE_FAILED");
    assert.equal((await t.leash.store.getSecret("NPM_TOKEN"))?.version, 1);
    assert.equal(await readSecretForLeash(t.leash, "NPM_TOKEN"), FIRST);

    // Once records land, the same put goes through as the next version.
    const stored = await put("NPM_TOKEN", SECOND);
    assert.equal(stored.status, 200, JSON.stringify(stored.body));
    assert.equal(stored.body["version"], 2);
    assert.equal(await readSecretForLeash(t.leash, "NPM_TOKEN"), SECOND);
  });

  test("of a new secret is refused and leaves no secret behind", async () => {
    const acceptRecords = refuseRecords();
    const refused = await put("NEW_TOKEN", FIRST);
    acceptRecords();
    assert.equal(refused.status, 503, JSON.stringify(refused.body));
    assert.equal(refused.body["code"], "ERR_AUDIT_WRITE_FAILED");
    assert.equal(await t.leash.store.getSecret("NEW_TOKEN"), undefined);
    assert.deepEqual(
      (await t.leash.store.listSecrets()).map((s) => s.name),
      ["NPM_TOKEN"],
    );
  });
});
