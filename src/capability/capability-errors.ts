import { createErrorFactory, type ErrorTable } from "../errors/index.js";

export const CAPABILITY_ERRORS = {
  ERR_CAPABILITY_MISSING: { status: 401, error: "invalid_token" },
  ERR_CAPABILITY_INVALID: { status: 401, error: "invalid_token" },
  ERR_CAPABILITY_EXPIRED: { status: 401, error: "invalid_token" },
  ERR_CAPABILITY_REVOKED: { status: 401, error: "invalid_token" },
  ERR_CAPABILITY_DPOP_REQUIRED: { status: 401, error: "invalid_token" },
  ERR_CAPABILITY_NO_SIGNING_KEY: { status: 503, error: "temporarily_unavailable" },
} as const satisfies ErrorTable;

export const capabilityError = createErrorFactory(CAPABILITY_ERRORS);
