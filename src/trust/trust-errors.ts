import { createErrorFactory, type ErrorTable } from "../errors/index.js";

export const TRUST_ERRORS = {
  ERR_TRUST_NO_MATCHING_RULE: { status: 403, error: "access_denied" },
  ERR_TRUST_EVENT_NOT_ALLOWED: { status: 403, error: "access_denied" },
  ERR_TRUST_SELF_HOSTED_RUNNER: { status: 403, error: "access_denied" },
  ERR_TRUST_RUNNER_UNKNOWN: { status: 403, error: "access_denied" },
  ERR_TRUST_ACTION_NOT_GRANTED: { status: 400, error: "invalid_scope" },
} as const satisfies ErrorTable;

export const trustError = createErrorFactory(TRUST_ERRORS);
