import { createErrorFactory, type ErrorTable } from "../errors/index.js";

export const BROKER_ERRORS = {
  ERR_EXCHANGE_UNSUPPORTED_GRANT_TYPE: { status: 400, error: "unsupported_grant_type" },
  ERR_EXCHANGE_UNSUPPORTED_TOKEN_TYPE: { status: 400, error: "invalid_request" },
  ERR_EXCHANGE_MISSING_PARAMETER: { status: 400, error: "invalid_request" },
  ERR_EXCHANGE_INVALID_SCOPE: { status: 400, error: "invalid_scope" },
  ERR_EXCHANGE_TOKEN_REPLAYED: { status: 401, error: "invalid_grant" },
  ERR_EXCHANGE_DPOP_REQUIRED: { status: 400, error: "invalid_dpop_proof" },
  ERR_EXCHANGE_DPOP_REPLAYED: { status: 400, error: "invalid_dpop_proof" },
  ERR_ADMIN_UNAUTHENTICATED: { status: 401, error: "invalid_client" },
  ERR_REVOKE_INVALID_TARGET: { status: 400, error: "invalid_request" },
  ERR_AUTHORIZE_EVIDENCE_NOT_FOUND: { status: 400, error: "invalid_request" },
  ERR_AUTHORIZE_EVIDENCE_INVALID: { status: 400, error: "invalid_request" },
  ERR_AUTHORIZE_EVIDENCE_TOO_MANY: { status: 409, error: "invalid_request" },
  ERR_ATTEST_KIND_NOT_ALLOWED: { status: 403, error: "insufficient_scope" },
  ERR_REQUEST_MALFORMED: { status: 400, error: "invalid_request" },
  ERR_REQUEST_TOO_LARGE: { status: 413, error: "invalid_request" },
} as const satisfies ErrorTable;

export const brokerError = createErrorFactory(BROKER_ERRORS);
