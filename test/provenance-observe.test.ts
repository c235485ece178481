/**
 * Observe mode for `artifact.publish`: a publish the policy would deny goes on (200, would
 * deny, recorded) but leash signs nothing. A signature carries no mode and lasts for ever, so
 * every consumer of leash's key — the admission webhook, cosign, a registry policy — would
 * otherwise take provenance of an untested commit at its word.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { main } from "../src/cli/main.js";
import { startTestIssuer, TEST_SHA, type TestIssuer } from "./support/oidc-issuer.js";
import {
  bearerFor,
  defaultTrust,
  postJson,
  startTestLeash,
  type TestLeash,
} from "./support/test-leash.js";

const DIGEST = `sha256:${"c4".repeat(32)}`;
let issuer: TestIssuer;
let t: TestLeash;
let publishing: string;

before(async () => {
  issuer = await startTestIssuer();
  const rule = {
    name: "app-publishing",
    issuer: "ci",
    claims: { repository_id: "74", repository_owner_id: "65" },
    zone: "publishing",
    actions: ["repo.read", "artifact.publish", "provenance.attest"],
    ttl: "10m",
  };
  t = await startTestLeash({
    issuer,
    trust: [...defaultTrust(), rule],
    extra: { policy: { observe_actions: ["artifact.publish"] } },
  });
  const res = await t.exchange("publishing", { ref: "refs/heads/main" });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  publishing = String(res.body["access_token"]);
});
after(async () => {
  await t.close();
  await issuer.close();
});

test("a publish that would be denied is let through, recorded, and nothing is signed", async () => {
  const res = await postJson(
    `${t.url}/v1/attestations`,
    { kind: "provenance", artifact: { name: "app", digest: DIGEST } },
    { authorization: `Bearer ${publishing}` },
  );
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(
    [res.body["decision"], res.body["mode"], res.body["enforced"], res.body["would_deny"]],
    ["allow", "observe", false, true],
  );
  assert.equal(res.body["signed"], false);
  assert.equal(res.body["bundle"], undefined);
  assert.equal(res.body["envelope"], undefined);
  const codes = (res.body["reasons"] as { code: string }[]).map((r) => r.code);
  assert.ok(codes.includes("tests_not_attested"), codes.join(","));

  const row = await t.leash.store.getDecision(String(res.body["decision_id"]));
  const rec = JSON.parse(row?.body ?? "{}");
  assert.deepEqual([rec.action, rec.result, rec.would_deny], ["artifact.publish", "allow", true]);
  assert.equal(rec.detail.provenance_signed, false);
  assert.deepEqual(
    await t.leash.store.findAttestations({ repositoryId: "74", digest: DIGEST }),
    [],
    "no provenance a deploy or admission could find",
  );
});

test("leash attest provenance exits 0 in observe mode, says nothing was signed, writes no bundle", async () => {
  const out: string[] = [];
  const err: string[] = [];
  const file = join(t.dir, "observed.sigstore.json");
  const env = { LEASH_URL: t.url, LEASH_CAPABILITY: publishing };
  const code = await main(["attest", "provenance", "--digest", DIGEST, "--output", file], env, {
    env,
    cwd: t.dir,
    out: (s) => void out.push(s),
    err: (s) => void err.push(s),
  });
  assert.equal(code, 0, err.join(""));
  assert.match(
    err.join(""),
    /observe mode: artifact\.publish would be denied; no provenance was signed/,
  );
  assert.match(err.join(""), /tests_not_attested/);
  assert.equal(existsSync(file), false);
});

test("a publish the policy allows is still signed in observe mode", async () => {
  const junit = `<?xml version="1.0"?><testsuites><testsuite name="a" tests="1"><testcase name="x"/></testsuite></testsuites>`;
  const validation = await bearerFor(t, "validation");
  const tests = await postJson(
    `${t.url}/v1/attestations`,
    { kind: "junit", subject: { sha: TEST_SHA }, content: junit },
    validation,
  );
  assert.equal(tests.status, 201, JSON.stringify(tests.body));
  const res = await postJson(
    `${t.url}/v1/attestations`,
    { kind: "provenance", artifact: { name: "app", digest: DIGEST } },
    { authorization: `Bearer ${publishing}` },
  );
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.ok(res.body["bundle"], "a bundle is handed out");
  const stored = await t.leash.store.findAttestations({ repositoryId: "74", digest: DIGEST });
  assert.equal(stored.length, 1, "the provenance is evidence deploys can find");
});
