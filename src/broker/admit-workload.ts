import { createHash, timingSafeEqual } from "node:crypto";
import type { KubernetesNamespace } from "../config/index.js";
import type { EvidenceItem, ProvenanceFacts } from "../evidence/index.js";
import {
  type AdmissionRequest,
  type AdmissionVerdict,
  admissionError,
  readAdmissionReview,
} from "../gateway/kubernetes/index.js";
import { parseArtifactReference, type Reason } from "../policy/index.js";
import type { Leash } from "./leash.js";
import { type Decided, type DraftRecord, recordDecision, startRecord } from "./record-decision.js";
import { toVerifiedItem } from "./resolve-evidence.js";

/** The action admission decisions are recorded (and put in observe mode) under. */
export const ADMIT_ACTION = "k8s.admit";

export interface AdmissionAnswer extends AdmissionVerdict {
  uid: string;
}

interface ImageCheck {
  image: string;
  digest: string | null;
  provenance: boolean;
  reason?: Reason;
}

/**
 * The admission webhook's decision: check the webhook token, read the AdmissionReview, and
 * admit the workload only when its namespace is listed and every container image is pinned by
 * digest with verified provenance (leash's own or a Sigstore bundle kept by POST /v1/verify)
 * from one of the namespace's repositories. Recorded as an `admission` decision either way.
 * Throws ERR_ADMISSION_* for a call it can't answer (the API server's failurePolicy then applies).
 */
export async function admitWorkload(
  leash: Leash,
  input: { token: string | undefined; review: unknown },
): Promise<Decided<AdmissionAnswer>> {
  const record = startRecord(leash, "admission");
  record.action = ADMIT_ACTION;
  record.detail = { provenance_verified: false };
  return recordDecision(leash, record, async () => {
    const namespaces = checkWebhookToken(leash, input.token);
    const req = readAdmissionReview(input.review);
    const ns = namespaces.get(req.namespace);
    record.resource = {
      type: req.kind,
      namespace: req.namespace,
      name: req.name,
      operation: req.operation,
      ...(ns ? { environment: ns.environment } : {}),
    };
    const checks = await checkWorkload(leash, req, ns);
    return applyAdmissionMode(leash, record, req.uid, checks);
  });
}

/** Every image of the request, or the one reason the whole request is refused. */
async function checkWorkload(
  leash: Leash,
  req: AdmissionRequest,
  ns: KubernetesNamespace | undefined,
): Promise<{ images: ImageCheck[]; reasons: Reason[] }> {
  if (req.operation === "DELETE" || req.operation === "CONNECT") return { images: [], reasons: [] };
  if (!ns) {
    const message = `namespace ${req.namespace || "(none)"} is not listed in leash's kubernetes.namespaces, so nothing is admitted there`;
    return { images: [], reasons: [{ code: "namespace_not_listed", message }] };
  }
  if (req.images === null) {
    const message = `leash does not know where a ${req.kind || "(no kind)"} keeps its pod template; admit Pods and pod-owning workloads only`;
    return { images: [], reasons: [{ code: "unsupported_kind", message }] };
  }
  const unique = [...new Set(req.images.map((i) => i.image))];
  const images = await Promise.all(unique.map((image) => checkImage(leash, ns, image)));
  return { images, reasons: images.flatMap((i) => (i.reason ? [i.reason] : [])) };
}

async function checkImage(
  leash: Leash,
  ns: KubernetesNamespace,
  image: string,
): Promise<ImageCheck> {
  const ref = parseArtifactReference(image);
  if (!ref.digest) {
    const message = `image ${image || "(none)"} is not pinned by digest; deploy ${ref.name || "it"}@sha256:<digest> (crane digest ${image || "IMAGE"})`;
    return {
      image,
      digest: null,
      provenance: false,
      reason: { code: "image_not_pinned", message },
    };
  }
  if (await hasVerifiedProvenance(leash, ns, ref.digest)) {
    return { image, digest: ref.digest, provenance: true };
  }
  const message = `image ${image} has no verified provenance from the repositories allowed in ${ns.environment} (${ns.repositoryIds.join(", ")}); leash attest provenance, or leash verify its Sigstore bundle`;
  return {
    image,
    digest: ref.digest,
    provenance: false,
    reason: { code: "provenance_missing", message },
  };
}

/**
 * Stored provenance for the digest, re-verified against leash's keys (cached by id, so this
 * costs a lookup), whose source repository is one the namespace admits. A row that does not
 * verify counts as absent: fail closed without letting one bad row block a good one.
 */
async function hasVerifiedProvenance(
  leash: Leash,
  ns: KubernetesNamespace,
  digest: string,
): Promise<boolean> {
  for (const repositoryId of ns.repositoryIds) {
    const rows = await leash.store.findAttestations({
      repositoryId,
      digest,
      kinds: ["provenance"],
    });
    for (const row of rows) {
      let item: EvidenceItem;
      try {
        item = toVerifiedItem(leash, row);
      } catch {
        continue;
      }
      if (item.facts.kind === "provenance" && admits(leash, ns, item.facts, digest)) return true;
    }
  }
  return false;
}

/** The provenance names this digest and a source repository the namespace admits (by id when it has one). */
function admits(
  leash: Leash,
  ns: KubernetesNamespace,
  f: ProvenanceFacts,
  digest: string,
): boolean {
  if (f.digest !== digest) return false;
  if (f.sourceRepositoryId !== undefined) return ns.repositoryIds.includes(f.sourceRepositoryId);
  const names = leash.config.repositories.filter((r) => ns.repositoryIds.includes(r.id));
  return names.some((r) => r.name === f.sourceRepository);
}

function applyAdmissionMode(
  leash: Leash,
  record: DraftRecord,
  uid: string,
  checks: { images: ImageCheck[]; reasons: Reason[] },
): AdmissionAnswer {
  const { images, reasons } = checks;
  const observe =
    leash.config.policy.mode === "observe" ||
    leash.config.policy.observeActions.includes(ADMIT_ACTION);
  const denied = reasons.length > 0;
  const message = reasons.map((r) => `${r.code}: ${r.message}`).join("; ");
  Object.assign(record, {
    result: denied && !observe ? "deny" : "allow",
    mode: observe ? "observe" : "enforce",
    enforced: !observe,
    would_deny: observe && denied,
    reasons,
    ...(denied ? { code: reasons[0]?.code } : {}),
    artifacts: images.map((i) => i.image),
  });
  record.detail = {
    uid,
    provenance_verified: images.length > 0 && images.every((i) => i.provenance),
    images: images.map((i) => ({ image: i.image, digest: i.digest, provenance: i.provenance })),
  };
  if (!denied) return { uid, allowed: true };
  if (observe)
    return { uid, allowed: true, warnings: [`leash (observe mode) would deny: ${message}`] };
  return { uid, allowed: false, message: `leash: ${message}` };
}

/** The namespaces, once the caller proved it is the API server (when a token is configured). */
function checkWebhookToken(leash: Leash, token: string | undefined) {
  const k8s = leash.config.kubernetes;
  if (!k8s) {
    throw admissionError(
      "ERR_ADMISSION_NOT_CONFIGURED",
      "this leash has no kubernetes section in its config, so it admits nothing",
    );
  }
  if (k8s.webhookToken !== undefined && !sameSecret(token ?? "", k8s.webhookToken)) {
    throw admissionError(
      "ERR_ADMISSION_UNAUTHENTICATED",
      "the admission webhook needs kubernetes.webhook_token as Authorization: Bearer <token>",
    );
  }
  return k8s.namespaces;
}

/** Constant-time comparison of digests, so neither the token nor its length leaks by timing. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}
