/** The webhook's verdict on one request. */
export interface AdmissionVerdict {
  allowed: boolean;
  /** Why not (or, in observe mode, why it would not be): shown by kubectl to whoever applied it. */
  message?: string;
  /** Shown by kubectl as warnings (observe mode: what enforce would have denied). */
  warnings?: string[];
}

/** The AdmissionReview v1 answer: the request's `uid`, allowed or not, and the reason as a 403 status. */
export function toAdmissionReview(uid: string, verdict: AdmissionVerdict): Record<string, unknown> {
  const response: Record<string, unknown> = { uid, allowed: verdict.allowed };
  if (!verdict.allowed) {
    response["status"] = { code: 403, reason: "Forbidden", message: verdict.message ?? "denied" };
  }
  if (verdict.warnings && verdict.warnings.length > 0) response["warnings"] = verdict.warnings;
  return { apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", response };
}
