import { createErrorFactory, type ErrorTable } from "../errors/index.js";

/**
 * Codes of the promotion use cases: producing provenance, and approvals (admission codes
 * live with the webhook in gateway/kubernetes). Verification failures keep their ERR_PROVENANCE_* codes.
 */
export const PROMOTION_ERRORS = {
  ERR_PUBLISH_DENIED: { status: 403, error: "access_denied" },
  ERR_APPROVAL_INVALID: { status: 400, error: "invalid_request" },
} as const satisfies ErrorTable;

export const promotionError = createErrorFactory(PROMOTION_ERRORS);
