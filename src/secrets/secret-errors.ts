import { createErrorFactory, type ErrorTable } from "../errors/index.js";

export const SECRET_ERRORS = {
  ERR_SECRET_NAME_INVALID: { status: 400, error: "invalid_request" },
  ERR_SECRET_VALUE_INVALID: { status: 400, error: "invalid_request" },
  ERR_SECRET_LEASE_DENIED: { status: 403, error: "access_denied" },
  ERR_SECRET_NOT_FOUND: { status: 404, error: "invalid_target" },
  ERR_SECRET_PUT_CONFLICT: { status: 409, error: "invalid_request" },
  ERR_SECRET_REWRAP_CONFLICT: { status: 409, error: "invalid_request" },
  ERR_SECRET_MASTER_KEY_UNCHANGED: { status: 400, error: "invalid_request" },
} as const satisfies ErrorTable;

export type SecretErrorCode = keyof typeof SECRET_ERRORS;

export const secretError = createErrorFactory(SECRET_ERRORS);
