import assert from "node:assert/strict";
import { test } from "node:test";
import { hasCode } from "../../errors/index.js";
import { readAdmissionReview } from "./read-admission-review.js";
import { toAdmissionReview } from "./to-admission-review.js";

const podSpec = {
  initContainers: [{ name: "init", image: "i@sha256:1" }],
  containers: [{ name: "web", image: "w:1" }],
  ephemeralContainers: [{ name: "debug", image: "busybox" }],
};
const review = (kind: string, object: unknown, extra: Record<string, unknown> = {}) => ({
  apiVersion: "admission.k8s.io/v1",
  kind: "AdmissionReview",
  request: {
    uid: "u-1",
    kind: { group: "", version: "v1", kind },
    namespace: "ns",
    operation: "CREATE",
    object,
    ...extra,
  },
});
const template = { template: { spec: podSpec } };

const kinds: { kind: string; object: unknown }[] = [
  { kind: "Pod", object: { metadata: { name: "p" }, spec: podSpec } },
  { kind: "Deployment", object: { metadata: { name: "p" }, spec: template } },
  { kind: "StatefulSet", object: { metadata: { name: "p" }, spec: template } },
  { kind: "DaemonSet", object: { metadata: { name: "p" }, spec: template } },
  { kind: "ReplicaSet", object: { metadata: { name: "p" }, spec: template } },
  { kind: "Job", object: { metadata: { name: "p" }, spec: template } },
  {
    kind: "CronJob",
    object: { metadata: { name: "p" }, spec: { jobTemplate: { spec: template } } },
  },
];
for (const c of kinds) {
  test(`${c.kind}: every container, init and ephemeral container image is read`, () => {
    const req = readAdmissionReview(review(c.kind, c.object));
    assert.equal(req.uid, "u-1");
    assert.equal(req.name, "p");
    assert.deepEqual(
      req.images?.map((i) => `${i.container}=${i.image}`),
      ["containers/web=w:1", "initContainers/init=i@sha256:1", "ephemeralContainers/debug=busybox"],
    );
  });
}

test("a kind without a known pod template yields no image list (the webhook denies it)", () => {
  assert.equal(readAdmissionReview(review("ConfigMap", { data: {} })).images, null);
  assert.equal(readAdmissionReview(review("Deployment", { spec: {} })).images, null);
});

test("a container without an image reads as an empty image (never pinned)", () => {
  const req = readAdmissionReview(review("Pod", { spec: { containers: [{ name: "x" }] } }));
  assert.deepEqual(req.images, [{ container: "containers/x", image: "" }]);
});

const malformed: { name: string; body: unknown }[] = [
  { name: "not an object", body: [] },
  { name: "v1beta1", body: { ...review("Pod", {}), apiVersion: "admission.k8s.io/v1beta1" } },
  { name: "another kind", body: { ...review("Pod", {}), kind: "Pod" } },
  { name: "no request", body: { apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview" } },
  { name: "no uid", body: review("Pod", {}, { uid: "" }) },
  { name: "containers not a list", body: review("Pod", { spec: { containers: {} } }) },
];
for (const c of malformed) {
  test(`ERR_ADMISSION_MALFORMED: ${c.name}`, () => {
    assert.throws(
      () => readAdmissionReview(c.body),
      (err) => hasCode(err, "ERR_ADMISSION_MALFORMED"),
    );
  });
}

test("the answer echoes the uid; a denial carries a 403 status with the message", () => {
  assert.deepEqual(toAdmissionReview("u", { allowed: true }), {
    apiVersion: "admission.k8s.io/v1",
    kind: "AdmissionReview",
    response: { uid: "u", allowed: true },
  });
  const denied = toAdmissionReview("u", { allowed: false, message: "no" });
  assert.deepEqual(denied["response"], {
    uid: "u",
    allowed: false,
    status: { code: 403, reason: "Forbidden", message: "no" },
  });
});
