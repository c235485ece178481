/**
 * The Kubernetes admission webhook on a real leash, fed real AdmissionReview v1 documents
 * (test/fixtures/admission): only images pinned by digest with verified provenance from the
 * namespace's repositories are admitted; every answer echoes the uid and is recorded.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { startTestIssuer, TEST_SHA, type TestIssuer } from "./support/oidc-issuer.js";
import { defaultTrust, postJson, startTestLeash, type TestLeash } from "./support/test-leash.js";

const FIXTURES = fileURLToPath(new URL("../../test/fixtures/admission/", import.meta.url));
const WEBHOOK_TOKEN = "k8s-webhook-token-0123456789abcdef";
const PROVEN = `ghcr.io/acme/app@sha256:${"d4".repeat(32)}`;
const UNPROVEN = `ghcr.io/acme/app@sha256:${"e5".repeat(32)}`;
const junit = `<?xml version="1.0"?><testsuites><testsuite name="a" tests="1"><testcase name="x"/></testsuite></testsuites>`;

type Review = Record<string, unknown> & { request: Record<string, unknown> };

/** A fixture with every IMAGE placeholder replaced, and request fields overridden. */
function review(file: string, images: string[], request: Record<string, unknown> = {}): Review {
  let text = readFileSync(`${FIXTURES}${file}`, "utf8");
  for (const image of images) text = text.replace('"IMAGE"', JSON.stringify(image));
  const doc = JSON.parse(text) as Review;
  return { ...doc, request: { ...doc.request, ...request } };
}

const kubernetes = {
  webhook_token: WEBHOOK_TOKEN,
  repository_ids: ["74"],
  namespaces: {
    "shop-staging": { environment: "staging", repository_ids: ["74"] },
    "shop-prod": "production",
    "other-team": { environment: "staging", repository_ids: ["999"] },
  },
};

async function publishProvenance(t: TestLeash, digest: string): Promise<void> {
  const cap = async (zone: string, overrides: Record<string, unknown> = {}) =>
    `Bearer ${(await t.exchange(zone, overrides)).body["access_token"]}`;
  const tests = await postJson(
    `${t.url}/v1/attestations`,
    { kind: "junit", subject: { sha: TEST_SHA }, content: junit },
    { authorization: await cap("validation") },
  );
  assert.equal(tests.status, 201);
  const res = await postJson(
    `${t.url}/v1/attestations`,
    { kind: "provenance", artifact: { digest } },
    { authorization: await cap("publishing") },
  );
  assert.equal(res.status, 201, JSON.stringify(res.body));
}

const trust = [
  ...defaultTrust(),
  {
    name: "app-publishing",
    issuer: "ci",
    claims: { repository_id: "74", repository_owner_id: "65" },
    zone: "publishing",
    actions: ["repo.read", "artifact.publish", "provenance.attest"],
    ttl: "10m",
  },
];

describe("POST /k8s/admission", () => {
  let issuer: TestIssuer;
  let t: TestLeash;
  before(async () => {
    issuer = await startTestIssuer();
    t = await startTestLeash({ issuer, trust, extra: { kubernetes } });
    await publishProvenance(t, PROVEN.split("@")[1] as string);
  });
  after(async () => {
    await t.close();
    await issuer.close();
  });

  const admit = (body: unknown, token: string | undefined = WEBHOOK_TOKEN) =>
    postJson(`${t.url}/k8s/admission`, body, token ? { authorization: `Bearer ${token}` } : {});

  const cases: { name: string; doc: () => Review; allowed: boolean; code?: string }[] = [
    {
      name: "a Deployment whose images are pinned and proven",
      doc: () => review("deployment-create.json", [PROVEN, PROVEN]),
      allowed: true,
    },
    {
      name: "a Deployment whose init container runs a tag",
      doc: () => review("deployment-create.json", ["ghcr.io/acme/migrate:1.4", PROVEN]),
      allowed: false,
      code: "image_not_pinned",
    },
    {
      name: "a Pod running :latest",
      doc: () => review("pod-create.json", ["ghcr.io/acme/app:latest"]),
      allowed: false,
      code: "image_not_pinned",
    },
    {
      name: "a Pod pinned and proven",
      doc: () => review("pod-create.json", [PROVEN]),
      allowed: true,
    },
    {
      name: "a Pod with a digest leash has no provenance for",
      doc: () => review("pod-create.json", [UNPROVEN]),
      allowed: false,
      code: "provenance_missing",
    },
    {
      name: "a CronJob's job template, pinned and proven",
      doc: () => review("cronjob-update.json", [PROVEN]),
      allowed: true,
    },
    {
      name: "a CronJob's job template on a tag",
      doc: () => review("cronjob-update.json", ["ghcr.io/acme/report:2"]),
      allowed: false,
      code: "image_not_pinned",
    },
    {
      name: "the string form of a namespace takes the section's repositories",
      doc: () => review("pod-create.json", [PROVEN], { namespace: "shop-prod" }),
      allowed: true,
    },
    {
      name: "provenance from a repository the namespace does not admit",
      doc: () => review("pod-create.json", [PROVEN], { namespace: "other-team" }),
      allowed: false,
      code: "provenance_missing",
    },
    {
      name: "a namespace not listed",
      doc: () => review("pod-create.json", [PROVEN], { namespace: "kube-system" }),
      allowed: false,
      code: "namespace_not_listed",
    },
    {
      name: "an ephemeral debug container on a tag",
      doc: () => {
        const doc = review("pod-create.json", [PROVEN]);
        const spec = (doc.request["object"] as { spec: Record<string, unknown> }).spec;
        spec["ephemeralContainers"] = [{ name: "debug", image: "busybox:1.36" }];
        return doc;
      },
      allowed: false,
      code: "image_not_pinned",
    },
    {
      name: "a kind without a pod template",
      doc: () =>
        review("pod-create.json", [PROVEN], {
          kind: { group: "", version: "v1", kind: "ConfigMap" },
        }),
      allowed: false,
      code: "unsupported_kind",
    },
    {
      name: "a DELETE",
      doc: () => review("pod-create.json", ["nginx"], { operation: "DELETE" }),
      allowed: true,
    },
  ];
  for (const c of cases) {
    test(`${c.allowed ? "admits" : "denies"} ${c.name}`, async () => {
      const doc = c.doc();
      const res = await admit(doc);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body["apiVersion"], "admission.k8s.io/v1");
      assert.equal(res.body["kind"], "AdmissionReview");
      const response = res.body["response"] as Record<string, unknown>;
      assert.equal(response["uid"], doc.request["uid"]);
      assert.equal(response["allowed"], c.allowed, JSON.stringify(response));
      if (c.code) {
        const status = response["status"] as { code: number; message: string };
        assert.equal(status.code, 403);
        assert.match(status.message, new RegExp(`${c.code}: `));
      }
      const rows = await t.leash.store.queryDecisions({ type: "admission" });
      const rec = JSON.parse(rows.at(-1)?.body ?? "{}");
      assert.equal(rec.detail.uid, doc.request["uid"]);
      assert.equal(rec.result, c.allowed ? "allow" : "deny");
      assert.equal(typeof rec.detail.provenance_verified, "boolean");
      if (c.code) assert.equal(rec.code, c.code);
    });
  }

  test("a proven workload is recorded with provenance_verified true", async () => {
    const doc = review("deployment-create.json", [PROVEN, PROVEN]);
    await admit(doc);
    const rows = await t.leash.store.queryDecisions({ type: "admission" });
    const rec = JSON.parse(rows.at(-1)?.body ?? "{}");
    assert.equal(rec.detail.provenance_verified, true);
    assert.equal(rec.resource.environment, "staging");
  });

  const refusals: {
    name: string;
    body: () => unknown;
    token?: string;
    status: number;
    code: string;
  }[] = [
    {
      name: "no webhook token",
      body: () => review("pod-create.json", [PROVEN]),
      token: "",
      status: 401,
      code: "ERR_ADMISSION_UNAUTHENTICATED",
    },
    {
      name: "a wrong webhook token",
      body: () => review("pod-create.json", [PROVEN]),
      token: "not-the-token-at-all",
      status: 401,
      code: "ERR_ADMISSION_UNAUTHENTICATED",
    },
    {
      name: "not an AdmissionReview",
      body: () => ({ apiVersion: "v1", kind: "Pod" }),
      status: 400,
      code: "ERR_ADMISSION_MALFORMED",
    },
    {
      name: "a v1beta1 review",
      body: () => ({
        ...review("pod-create.json", [PROVEN]),
        apiVersion: "admission.k8s.io/v1beta1",
      }),
      status: 400,
      code: "ERR_ADMISSION_MALFORMED",
    },
  ];
  for (const c of refusals) {
    test(`refuses the call for ${c.name} (${c.code}), recorded`, async () => {
      const res = await admit(c.body(), c.token ?? WEBHOOK_TOKEN);
      assert.equal(res.status, c.status);
      assert.equal(res.body["code"], c.code);
      const rec = await t.leash.store.getDecision(String(res.body["decision_id"]));
      assert.equal(rec?.type, "admission");
    });
  }
});

describe("POST /k8s/admission in observe mode", () => {
  test("a denial is admitted with a warning and recorded as would_deny", async () => {
    const issuer = await startTestIssuer();
    const t = await startTestLeash({
      issuer,
      extra: {
        kubernetes: {
          namespaces: { "shop-staging": { environment: "staging", repository_ids: ["74"] } },
        },
        policy: { observe_actions: ["k8s.admit"] },
      },
    });
    try {
      const doc = review("pod-create.json", ["nginx:latest"]);
      const res = await postJson(`${t.url}/k8s/admission`, doc);
      const response = res.body["response"] as { allowed: boolean; warnings: string[] };
      assert.equal(response.allowed, true);
      assert.match(response.warnings[0] ?? "", /would deny: image_not_pinned/);
      const rows = await t.leash.store.queryDecisions({ type: "admission" });
      const rec = JSON.parse(rows.at(-1)?.body ?? "{}");
      assert.deepEqual([rec.result, rec.would_deny, rec.mode], ["allow", true, "observe"]);
    } finally {
      await t.close();
      await issuer.close();
    }
  });
});

describe("POST /k8s/admission with the token from LEASH_WEBHOOK_TOKEN", () => {
  const kubernetesWithoutToken = {
    namespaces: { "shop-staging": { environment: "staging", repository_ids: ["74"] } },
  };

  test("the variable's token is required when leash.yaml names none; a wrong one is refused", async () => {
    const issuer = await startTestIssuer();
    const fromEnv = "k8s-token-from-a-secret-0123456789";
    const t = await startTestLeash({
      issuer,
      extra: { kubernetes: kubernetesWithoutToken },
      env: { LEASH_WEBHOOK_TOKEN: fromEnv },
    });
    try {
      const doc = review("pod-create.json", ["nginx:latest"]);
      const admit = (token?: string) =>
        postJson(`${t.url}/k8s/admission`, doc, token ? { authorization: `Bearer ${token}` } : {});
      for (const wrong of [undefined, WEBHOOK_TOKEN]) {
        const res = await admit(wrong);
        assert.equal(res.status, 401);
        assert.equal(res.body["code"], "ERR_ADMISSION_UNAUTHENTICATED");
        assert.doesNotMatch(JSON.stringify(res.body), new RegExp(fromEnv));
      }
      const res = await admit(fromEnv);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal((res.body["response"] as { allowed: boolean }).allowed, false);
    } finally {
      await t.close();
      await issuer.close();
    }
  });

  test("a variable shorter than 16 characters stops the start (ERR_CONFIG_INVALID)", async () => {
    const issuer = await startTestIssuer();
    try {
      await assert.rejects(
        startTestLeash({
          issuer,
          extra: { kubernetes: kubernetesWithoutToken },
          env: { LEASH_WEBHOOK_TOKEN: "short" },
        }),
        (err: { code?: string; message: string }) =>
          err.code === "ERR_CONFIG_INVALID" && /LEASH_WEBHOOK_TOKEN/.test(err.message),
      );
    } finally {
      await issuer.close();
    }
  });
});
