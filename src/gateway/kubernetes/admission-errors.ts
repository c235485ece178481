import { createErrorFactory, type ErrorTable } from "../../errors/index.js";

/**
 * Codes of the Kubernetes admission webhook. These are refusals of the *call* (the API server
 * then applies the webhook's failurePolicy, which must be Fail); a workload that is not
 * admitted is an AdmissionReview answer with `allowed: false`, not an error.
 */
export const ADMISSION_ERRORS = {
  ERR_ADMISSION_NOT_CONFIGURED: { status: 404, error: "invalid_request" },
  ERR_ADMISSION_UNAUTHENTICATED: { status: 401, error: "invalid_client" },
  ERR_ADMISSION_MALFORMED: { status: 400, error: "invalid_request" },
} as const satisfies ErrorTable;

export type AdmissionErrorCode = keyof typeof ADMISSION_ERRORS;

export const admissionError = createErrorFactory(ADMISSION_ERRORS);
