import { createErrorFactory, type ErrorTable } from "../errors/index.js";

export const AUDIT_ERRORS = {
  ERR_AUDIT_WRITE_FAILED: { status: 503, error: "temporarily_unavailable" },
  ERR_AUDIT_CHAIN_BROKEN: { status: 500, error: "server_error" },
  ERR_AUDIT_ANCHOR_INVALID: { status: 400, error: "invalid_request" },
} as const satisfies ErrorTable;

export const auditError = createErrorFactory(AUDIT_ERRORS);
