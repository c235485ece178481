/**
 * @module gateway/kubernetes
 * The Kubernetes admission webhook's wire side: reads AdmissionReview v1 requests for Pods and
 * pod-owning workloads into the images they would run, and writes the AdmissionReview answer.
 * Pure: it never looks up provenance or decides (the broker's admitWorkload does), and it
 * never trusts an image reference that is not pinned by digest.
 */
export type { AdmissionErrorCode } from "./admission-errors.js";
export { ADMISSION_ERRORS, admissionError } from "./admission-errors.js";
export type { AdmissionRequest, ContainerImage } from "./read-admission-review.js";
export { readAdmissionReview } from "./read-admission-review.js";
export type { AdmissionVerdict } from "./to-admission-review.js";
export { toAdmissionReview } from "./to-admission-review.js";
