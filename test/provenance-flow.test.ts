/**
 * Publish → verify → deploy end to end on a real leash: provenance only after validation
 * attested the commit's tests; deploy only by digest, with provenance and tests, to the job's
 * own environment, production with an approval; a real third-party Sigstore bundle verified
 * through POST /v1/verify and then used by digest.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { main } from "../src/cli/main.js";
import { startTestIssuer, TEST_SHA, type TestIssuer } from "./support/oidc-issuer.js";
import {
  ADMIN_TOKEN,
  defaultTrust,
  postJson,
  startTestLeash,
  type TestLeash,
} from "./support/test-leash.js";

const CORPUS = fileURLToPath(new URL("../../../shared/corpus/provenance/", import.meta.url));
const GH_BUNDLE = `${CORPUS}github-artifact/reusable-workflow-attestation.sigstore.json`;
const GH_DIGEST = "sha256:49a3aa6075e0f49f82843e74b5baa614ad2a588e6675612bf108a0a008c5ac25";
const GH_COMMIT = "95baf27389e83e6a5c48f42e190d48d7abcea19e";
const DEMO = {
  repository: "malancas/attest-demo",
  repository_owner: "malancas",
  repository_id: "804070735",
  repository_owner_id: "16248153",
  sub: "repo:malancas/attest-demo:ref:refs/heads/main",
};

const DIGEST = `sha256:${"c3".repeat(32)}`;
const DEPLOY_SHA = "1111111111111111111111111111111111111111";
const junit = `<?xml version="1.0"?><testsuites><testsuite name="a" tests="1"><testcase name="x"/></testsuite></testsuites>`;

function trust(): Record<string, unknown>[] {
  const rule = (name: string, zone: string, actions: string[], claims: Record<string, string>) => ({
    name,
    issuer: "ci",
    claims,
    zone,
    actions,
    ttl: "10m",
  });
  const app = { repository_id: "74", repository_owner_id: "65" };
  const demo = { repository_id: DEMO.repository_id, repository_owner_id: DEMO.repository_owner_id };
  return [
    ...defaultTrust(),
    rule(
      "app-publishing",
      "publishing",
      ["repo.read", "artifact.publish", "provenance.attest"],
      app,
    ),
    rule("app-deployment", "deployment", ["repo.read", "deploy"], app),
    rule("demo-validation", "validation", ["repo.read", "test.attest"], demo),
    rule("demo-deployment", "deployment", ["repo.read", "deploy"], demo),
  ];
}

async function runCli(args: string[], env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    env,
    cwd: process.cwd(),
    out: (t: string) => void out.push(t),
    err: (t: string) => void err.push(t),
  };
  const code = await main(args, env, io);
  return { code, out: out.join(""), err: err.join("") };
}

describe("provenance, verification and the deploy gate", () => {
  let issuer: TestIssuer;
  let t: TestLeash;
  const token = async (zone: string, overrides: Record<string, unknown> = {}) => {
    const res = await t.exchange(zone, overrides);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return String(res.body["access_token"]);
  };
  const bearer = (cap: string) => ({ authorization: `Bearer ${cap}` });
  let publishing: string;
  let validation: string;
  before(async () => {
    issuer = await startTestIssuer();
    t = await startTestLeash({ issuer, trust: trust() });
    publishing = await token("publishing", { ref: "refs/heads/main" });
    validation = await token("validation");
  });
  after(async () => {
    await t.close();
    await issuer.close();
  });

  const publish = (digest = DIGEST) =>
    postJson(
      `${t.url}/v1/attestations`,
      { kind: "provenance", artifact: { name: "app", digest } },
      bearer(publishing),
    );
  const record = async (id: unknown) =>
    JSON.parse((await t.leash.store.getDecision(String(id)))?.body ?? "{}");
  const deploy = async (env: string, artifact: string, cap: string) =>
    runCli(["deploy", "--env", env, "--artifact", artifact], {
      LEASH_URL: t.url,
      LEASH_CAPABILITY: cap,
    });

  test("provenance is refused (403, reasons, recorded) before validation attested the commit's tests", async () => {
    const res = await publish();
    assert.equal(res.status, 403);
    assert.equal(res.body["code"], "ERR_PUBLISH_DENIED");
    const codes = (res.body["reasons"] as { code: string }[]).map((r) => r.code);
    assert.ok(codes.includes("tests_not_attested"), codes.join(","));
    const rec = await record(res.body["decision_id"]);
    assert.deepEqual([rec.type, rec.action, rec.result], ["attest", "artifact.publish", "deny"]);
  });

  test("after validation attests passing tests, leash signs SLSA v1 provenance and the bundle verifies", async () => {
    const tests = await postJson(
      `${t.url}/v1/attestations`,
      { kind: "junit", subject: { sha: TEST_SHA }, content: junit },
      bearer(validation),
    );
    assert.equal(tests.status, 201, JSON.stringify(tests.body));
    const res = await publish();
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.match(String(res.body["id"]), /^att_/);
    const bundle = res.body["bundle"] as Record<string, unknown>;
    assert.equal(bundle["mediaType"], "application/vnd.dev.sigstore.bundle.v0.3+json");
    const envelope = res.body["envelope"] as { payload: string };
    const statement = JSON.parse(Buffer.from(envelope.payload, "base64").toString("utf8"));
    assert.equal(statement.predicateType, "https://slsa.dev/provenance/v1");
    assert.deepEqual(statement.predicate.buildDefinition.resolvedDependencies[0].digest, {
      gitCommit: TEST_SHA,
    });
    assert.equal((await record(res.body["decision_id"])).result, "allow");

    const file = join(t.dir, "app.sigstore.json");
    writeFileSync(file, JSON.stringify(bundle));
    const verified = await runCli(
      [
        "verify",
        "--digest",
        DIGEST,
        "--bundle",
        file,
        "--repo",
        "acme/app",
        "--repo-id",
        "74",
        "--source-ref",
        "refs/heads/main",
        "--cert-oidc-issuer",
        issuer.url,
      ],
      { LEASH_URL: t.url },
    );
    assert.equal(verified.code, 0, verified.err);
  });

  test("leash attest provenance writes the bundle with --output", async () => {
    const out = join(t.dir, "cli.sigstore.json");
    const res = await runCli(
      ["attest", "provenance", "--digest", DIGEST, "--name", "app", "--output", out],
      { LEASH_URL: t.url, LEASH_CAPABILITY: publishing },
    );
    assert.equal(res.code, 0, res.err);
    assert.match(res.out, /^att_/);
    assert.ok(JSON.parse(readFileSync(out, "utf8")).dsseEnvelope);
  });

  test("deploy by digest with provenance and tests of the provenance's commit is allowed and recorded as verified", async () => {
    const cap = await token("deployment", {
      environment: "staging",
      sha: DEPLOY_SHA,
      ref: "refs/heads/main",
    });
    const res = await deploy("staging", `ghcr.io/acme/app@${DIGEST}`, cap);
    assert.equal(res.code, 0, res.err);
    const rec = await record(res.out.trim());
    assert.deepEqual(
      [rec.action, rec.result, rec.detail.provenance_verified],
      ["deploy", "allow", true],
    );
  });

  const denials: { name: string; env: string; jobEnv: string; artifact: string; code: string }[] = [
    {
      name: "a mutable tag",
      env: "staging",
      jobEnv: "staging",
      artifact: "ghcr.io/acme/app:1.2",
      code: "artifact_not_pinned",
    },
    {
      name: "another environment than the job's",
      env: "production",
      jobEnv: "staging",
      artifact: DIGEST,
      code: "environment_mismatch",
    },
    {
      name: "production without approval",
      env: "production",
      jobEnv: "production",
      artifact: DIGEST,
      code: "production_needs_approval",
    },
    {
      name: "a digest without provenance",
      env: "staging",
      jobEnv: "staging",
      artifact: `sha256:${"0".repeat(64)}`,
      code: "provenance_missing",
    },
  ];
  for (const c of denials) {
    test(`deploy denied for ${c.name} (${c.code})`, async () => {
      const cap = await token("deployment", { environment: c.jobEnv, sha: DEPLOY_SHA });
      const res = await deploy(c.env, c.artifact, cap);
      assert.equal(res.code, 1, res.out);
      assert.match(res.err, new RegExp(`leash: ${c.code}: `));
      const rec = await record(/deny \((dec_[^)]+)\)/.exec(res.out)?.[1]);
      assert.equal(rec.result, "deny");
      assert.equal(typeof rec.detail.provenance_verified, "boolean");
    });
  }

  test("the artifact_not_pinned message shows how to pin the digest", async () => {
    const cap = await token("deployment", { environment: "staging" });
    const res = await deploy("staging", "ghcr.io/acme/app:1.2", cap);
    assert.match(res.err, /ghcr\.io\/acme\/app@sha256:<digest>/);
  });

  test("approvals are admin-only: a capability is refused, the admin's approval lets production deploy", async () => {
    const approval = {
      action: "deploy",
      resource: { type: "Environment", id: "production" },
      repository_id: "74",
      environment: "production",
      digest: DIGEST,
      approver: "alice",
      expires_in: "1h",
    };
    const byAgent = await postJson(`${t.url}/v1/approvals`, approval, bearer(publishing));
    assert.equal(byAgent.status, 401);
    assert.equal(byAgent.body["code"], "ERR_ADMIN_UNAUTHENTICATED");
    const tooLong = await postJson(
      `${t.url}/v1/approvals`,
      { ...approval, expires_in: "30d" },
      bearer(ADMIN_TOKEN),
    );
    assert.equal(tooLong.body["code"], "ERR_APPROVAL_INVALID");
    // A deploy approval must name the digest: one naming a commit would never count.
    const { digest: _digest, ...bySha } = approval;
    const noDigest = await postJson(
      `${t.url}/v1/approvals`,
      { ...bySha, sha: "a".repeat(40) },
      bearer(ADMIN_TOKEN),
    );
    assert.equal(noDigest.status, 400, JSON.stringify(noDigest.body));
    assert.equal(noDigest.body["code"], "ERR_APPROVAL_INVALID");
    const cli = await runCli(
      [
        "approve",
        "deploy",
        "--resource",
        "Environment:production",
        "--env",
        "production",
        "--repository-id",
        "74",
        "--digest",
        DIGEST,
        "--approver",
        "alice",
        "--expires",
        "1h",
      ],
      { LEASH_URL: t.url, LEASH_ADMIN_TOKEN: ADMIN_TOKEN },
    );
    assert.equal(cli.code, 0, cli.err);
    assert.match(cli.out, /^att_/);
    const cap = await token("deployment", { environment: "production", sha: DEPLOY_SHA });
    const res = await deploy("production", DIGEST, cap);
    assert.equal(res.code, 0, res.err);
  });

  test("a third-party Sigstore bundle verified through POST /v1/verify is used by digest", async () => {
    const deployer = await token("deployment", { ...DEMO, environment: "staging" });
    const before = await deploy("staging", GH_DIGEST, deployer);
    assert.match(before.err, /provenance_missing/);
    const body = {
      bundle: JSON.parse(readFileSync(GH_BUNDLE, "utf8")),
      digest: GH_DIGEST,
      policy: {
        repo: DEMO.repository,
        repo_id: DEMO.repository_id,
        signer_repo: "github/artifact-attestations-workflows",
      },
    };
    const wrong = await postJson(
      `${t.url}/v1/verify`,
      { ...body, policy: { ...body.policy, source_ref: "refs/tags/v*" } },
      bearer(deployer),
    );
    assert.equal(wrong.status, 422);
    assert.equal(wrong.body["code"], "ERR_PROVENANCE_IDENTITY_MISMATCH");
    assert.equal((await record(wrong.body["decision_id"])).type, "verify");
    const ok = await postJson(`${t.url}/v1/verify`, body, bearer(deployer));
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.match(String(ok.body["id"]), /^att_/);
    assert.equal((ok.body["facts"] as Record<string, unknown>)["commit"], GH_COMMIT);

    const demoValidation = await token("validation", DEMO);
    const tests = await postJson(
      `${t.url}/v1/attestations`,
      { kind: "junit", subject: { sha: GH_COMMIT }, content: junit },
      bearer(demoValidation),
    );
    assert.equal(tests.status, 201);
    const after = await deploy("staging", `ghcr.io/malancas/attest-demo@${GH_DIGEST}`, deployer);
    assert.equal(after.code, 0, after.err);
  });

  test("verify needs a capability, and refuses an unusable bundle with a 400 recorded", async () => {
    const anon = await postJson(`${t.url}/v1/verify`, {
      bundle: {},
      digest: GH_DIGEST,
      policy: { repo: "a/b" },
    });
    assert.equal(anon.status, 401);
    const bad = await postJson(
      `${t.url}/v1/verify`,
      { bundle: { hello: 1 }, digest: GH_DIGEST, policy: { repo: "a/b" } },
      bearer(validation),
    );
    assert.equal(bad.status, 400);
    assert.equal(bad.body["code"], "ERR_PROVENANCE_MALFORMED");
    assert.ok(await t.leash.store.getDecision(String(bad.body["decision_id"])));
  });

  test("without a kubernetes section the admission webhook answers 404", async () => {
    const res = await postJson(`${t.url}/k8s/admission`, { apiVersion: "admission.k8s.io/v1" });
    assert.equal(res.status, 404);
    assert.equal(res.body["code"], "ERR_ADMISSION_NOT_CONFIGURED");
  });
});
