/**
 * The secret broker over HTTP against a real leash: admin puts, capability-bound leases
 * decided by the default Cedar pack, refusals in one 403 shape, and no value anywhere but in
 * the one answer that releases it — not in a record, an error, or the store file.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import Database from "better-sqlite3";
import { readSecretForLeash } from "../src/broker/index.js";
import { createManualClock } from "../src/clock/index.js";
import { hasCode } from "../src/errors/index.js";
import { createBrokeredUpstreamCredential } from "../src/server/routes/secret-routes.js";
import { startTestIssuer, type TestIssuer } from "./support/oidc-issuer.js";
import { ADMIN_TOKEN, postJson, startTestLeash, type TestLeash } from "./support/test-leash.js";

const NPM_VALUE = "npm_Zq8vT3kR5pW1xY7bN2mC4dF6gH9jL0sA";
const NPM_VALUE_2 = "npm_SecondVersionOfTheToken_8c3e1f";
const PROD_VALUE = "prod-deploy-key-4e7a0c2b9d";

const GRANTS = [
  { name: "NPM_TOKEN", zones: ["editing", "planning"], repository_ids: ["74"], max_lease: "2m" },
  { name: "PROD_KEY", zones: ["editing"], repository_ids: ["74"], environments: ["production"] },
  { name: "NOT_STORED", zones: ["editing"], repository_ids: ["74"] },
  { name: "TAMPERED", zones: ["editing"], repository_ids: ["74"] },
];

/** The sealed form `v1.<nonce>.<ciphertext>.<tag>` with one ciphertext bit flipped. */
function flipBit(sealed: string): string {
  const parts = sealed.split(".");
  const body = Buffer.from(parts[2] ?? "", "base64url");
  body[0] = (body[0] ?? 0) ^ 1;
  parts[2] = body.toString("base64url");
  return parts.join(".");
}

type Answer = { status: number; body: Record<string, unknown> };

async function putValue(url: string, name: string, value: unknown, token = ADMIN_TOKEN) {
  const res = await fetch(`${url}/v1/secrets/${name}`, {
    method: "PUT",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ value }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("secret broker over HTTP", () => {
  let issuer: TestIssuer;
  let t: TestLeash;
  const clock = createManualClock(Date.now());
  const caps: Record<string, string> = {};
  const answers: Answer[] = [];
  const lease = async (cap: string | undefined, name: string, body: unknown) => {
    const headers: Record<string, string> = cap ? { authorization: `Bearer ${cap}` } : {};
    const res = await postJson(`${t.url}/v1/secrets/${name}/lease`, body, headers);
    answers.push(res);
    return res;
  };

  before(async () => {
    issuer = await startTestIssuer();
    t = await startTestLeash({ issuer, clock, extra: { secrets: GRANTS } });
    const exchange = async (zone: string, over?: Record<string, unknown>) =>
      String((await t.exchange(zone, over)).body["access_token"]);
    caps["editing"] = await exchange("editing");
    caps["validation"] = await exchange("validation");
    caps["otherRepo"] = await exchange("planning", {
      repository_id: "75",
      repository: "acme/b",
      sub: "repo:acme/b:ref:refs/heads/agent/fix",
    });
    answers.push(await putValue(t.url, "NPM_TOKEN", "first-version-value"));
    answers.push(await putValue(t.url, "NPM_TOKEN", NPM_VALUE));
    answers.push(await putValue(t.url, "PROD_KEY", PROD_VALUE));
  });
  after(async () => {
    await t.close();
    await issuer.close();
  });

  test("an admin put stores the next version and answers its fingerprint, not the value", async () => {
    const first = await putValue(t.url, "NEW_ONE", "some-value-1234");
    assert.equal(first.status, 201);
    assert.equal(first.body["version"], 1);
    assert.match(String(first.body["fingerprint"]), /^hmac-sha256:[0-9a-f]{64}$/);
    const again = await putValue(t.url, "NEW_ONE", "some-value-1234");
    assert.deepEqual([again.status, again.body["version"]], [200, 2]);
    assert.equal(again.body["fingerprint"], first.body["fingerprint"]);
    const row = await t.leash.store.getDecision(String(again.body["decision_id"]));
    const record = JSON.parse(row?.body ?? "{}");
    assert.deepEqual(record.detail, {
      name: "NEW_ONE",
      version: 2,
      fingerprint: first.body["fingerprint"],
    });
  });

  const badPuts: [string, () => Promise<Answer>, number, string][] = [
    [
      "without the admin token",
      () => putValue(t.url, "X", "v", "lsa_wrong"),
      401,
      "ERR_ADMIN_UNAUTHENTICATED",
    ],
    ["with an empty value", () => putValue(t.url, "X", ""), 400, "ERR_SECRET_VALUE_INVALID"],
    [
      "with a value that is not a string",
      () => putValue(t.url, "X", 42),
      400,
      "ERR_REQUEST_MALFORMED",
    ],
    [
      "with an invalid name",
      () => putValue(t.url, "bad%20name", "v"),
      400,
      "ERR_SECRET_NAME_INVALID",
    ],
  ];
  for (const [what, run, status, code] of badPuts) {
    test(`a put ${what} is refused with ${code}`, async () => {
      const res = await run();
      answers.push(res);
      assert.deepEqual([res.status, res.body["code"]], [status, code]);
      assert.ok(await t.leash.store.getDecision(String(res.body["decision_id"])));
    });
  }

  test("a lease with a purpose, in a granted zone and repository, releases the value", async () => {
    const res = await lease(caps["editing"], "NPM_TOKEN", { purpose: "publish @acme/app 1.2.3" });
    assert.equal(res.status, 200);
    assert.equal(res.body["value"], NPM_VALUE);
    assert.match(String(res.body["lease_id"]), /^lse_/);
    assert.equal(res.body["expires_at"], new Date(clock.now() + 120_000).toISOString());
    const row = await t.leash.store.getDecision(String(res.body["decision_id"]));
    const record = JSON.parse(row?.body ?? "{}");
    assert.deepEqual(
      [record.type, record.result, record.action],
      ["secret", "allow", "secret.read"],
    );
    assert.equal(record.detail.name, "NPM_TOKEN");
    assert.equal(record.detail.purpose, "publish @acme/app 1.2.3");
    assert.equal(record.detail.lease_id, res.body["lease_id"]);
    assert.equal(record.detail.version, 2);
    assert.match(record.detail.fingerprint, /^hmac-sha256:/);
    assert.ok(record.policies.includes("secret-read.granted"));
  });

  const refusals: [string, () => Promise<Answer>, string][] = [
    ["without a purpose", () => lease(caps["editing"], "NPM_TOKEN", {}), "purpose_missing"],
    [
      "with a blank purpose",
      () => lease(caps["editing"], "NPM_TOKEN", { purpose: "  " }),
      "purpose_missing",
    ],
    [
      "to another zone",
      () => lease(caps["validation"], "NPM_TOKEN", { purpose: "p" }),
      "secret_not_granted",
    ],
    [
      "to another repository",
      () => lease(caps["otherRepo"], "NPM_TOKEN", { purpose: "p" }),
      "secret_not_granted",
    ],
    [
      "of an unknown secret",
      () => lease(caps["editing"], "NO_SUCH", { purpose: "p" }),
      "secret_not_granted",
    ],
    [
      "outside the grant's environments",
      () => lease(caps["editing"], "PROD_KEY", { purpose: "p" }),
      "secret_environment_not_granted",
    ],
    [
      "of a granted secret with no value yet",
      () => lease(caps["editing"], "NOT_STORED", { purpose: "p" }),
      "secret_not_stored",
    ],
  ];
  for (const [what, run, reason] of refusals) {
    test(`a lease ${what} is a 403 with reason ${reason} and no value`, async () => {
      const res = await run();
      assert.equal(res.status, 403);
      assert.equal(res.body["code"], "ERR_SECRET_LEASE_DENIED");
      assert.equal("value" in res.body, false);
      const codes = (res.body["reasons"] as { code: string }[]).map((r) => r.code);
      assert.ok(codes.includes(reason), codes.join(","));
      const row = await t.leash.store.getDecision(String(res.body["decision_id"]));
      assert.deepEqual([row?.type, row?.result, row?.action], ["secret", "deny", "secret.read"]);
    });
  }

  test("a lease without a capability is a 401, recorded", async () => {
    const res = await lease(undefined, "NPM_TOKEN", { purpose: "p" });
    assert.deepEqual([res.status, res.body["code"]], [401, "ERR_CAPABILITY_MISSING"]);
    assert.ok(await t.leash.store.getDecision(String(res.body["decision_id"])));
  });

  test("leash's own read (git upstream credential) is recorded and needs no capability", async () => {
    const read = createBrokeredUpstreamCredential(t.leash, async () => "from-env");
    const repo = { name: "acme/app", id: "74", upstream: "https://example.test/acme/app.git" };
    assert.equal(await read({ ...repo, credential: "PROD_KEY" }), PROD_VALUE);
    assert.equal(await read({ ...repo, credential: undefined }), "from-env");
    await assert.rejects(readSecretForLeash(t.leash, "NOT_STORED"), (e) =>
      hasCode(e, "ERR_SECRET_NOT_FOUND"),
    );
    const rows = await t.leash.store.queryDecisions({ type: "secret", limit: 100_000 });
    const internal = rows.map((r) => JSON.parse(r.body)).filter((r) => r.principal?.internal);
    assert.equal(internal.length, 2);
    assert.equal(internal[0].detail.purpose, "git upstream credential for acme/app");
  });

  test("a tampered sealed value fails closed: 500, no value, recorded as an error", async () => {
    await putValue(t.url, "TAMPERED", "tamper-me-value-0987");
    const db = new Database(join(t.dir, "state", "leash.db"));
    const row = db.prepare("SELECT sealed_value FROM secrets WHERE name = 'TAMPERED'").get() as {
      sealed_value: string;
    };
    db.prepare("UPDATE secrets SET sealed_value = ? WHERE name = 'TAMPERED'").run(
      flipBit(row.sealed_value),
    );
    db.close();
    const res = await lease(caps["editing"], "TAMPERED", { purpose: "p" });
    assert.deepEqual([res.status, res.body["code"]], [500, "ERR_SEALING_UNSEAL_FAILED"]);
    assert.equal("value" in res.body, false);
    const rec = await t.leash.store.getDecision(String(res.body["decision_id"]));
    assert.equal(rec?.result, "error");
  });

  test("no value appears in any decision record, any answer but its lease, or the store files", async () => {
    const values = [
      NPM_VALUE,
      NPM_VALUE_2,
      PROD_VALUE,
      "first-version-value",
      "tamper-me-value-0987",
    ];
    await putValue(t.url, "NPM_TOKEN", NPM_VALUE_2);
    await t.leash.audit.flush();
    const rows = await t.leash.store.queryDecisions({ limit: 100_000 });
    assert.ok(rows.length > 20);
    for (const v of values) {
      for (const r of rows) assert.ok(!r.body.includes(v), `value in record ${r.decisionId}`);
      const leaked = answers.filter(
        (a) => JSON.stringify(a.body).includes(v) && a.body["lease_id"] === undefined,
      );
      assert.deepEqual(leaked, [], "value in a refusal or put answer");
    }
    const stateDir = join(t.dir, "state");
    for (const file of readdirSync(stateDir).filter((f) => f.startsWith("leash.db"))) {
      const bytes = readFileSync(join(stateDir, file));
      for (const v of values) assert.equal(bytes.includes(v), false, `value in ${file}`);
    }
  });
});

describe("secret broker in observe mode", () => {
  let issuer: TestIssuer;
  let t: TestLeash;
  before(async () => {
    issuer = await startTestIssuer();
    t = await startTestLeash({
      issuer,
      extra: { secrets: GRANTS, policy: { mode: "observe" } },
    });
    await putValue(t.url, "NPM_TOKEN", NPM_VALUE);
  });
  after(async () => {
    await t.close();
    await issuer.close();
  });

  test("a would-deny still releases nothing: secrets fail closed in every mode", async () => {
    const cap = String((await t.exchange("validation")).body["access_token"]);
    const res = await postJson(
      `${t.url}/v1/secrets/NPM_TOKEN/lease`,
      { purpose: "p" },
      {
        authorization: `Bearer ${cap}`,
      },
    );
    assert.deepEqual([res.status, res.body["code"]], [403, "ERR_SECRET_LEASE_DENIED"]);
    assert.equal("value" in res.body, false);
    const record = JSON.parse(
      (await t.leash.store.getDecision(String(res.body["decision_id"])))?.body ?? "{}",
    );
    assert.deepEqual(
      [record.mode, record.would_deny, record.enforced, record.result],
      ["observe", true, true, "deny"],
    );
  });
});
