import { createErrorFactory, type ErrorTable } from "../errors/index.js";

/**
 * Codes the policy domain throws. A deny is never one of these: it is a returned
 * `PolicyDecision`. These are for a policy set that can't be used, a test file that
 * can't be read, or the engine failing (which the caller turns into a deny).
 */
export const POLICY_ERRORS = {
  ERR_POLICY_INVALID: { status: 400, error: "invalid_request" },
  ERR_POLICY_SCHEMA_INVALID: { status: 400, error: "invalid_request" },
  ERR_POLICY_TEST_INVALID: { status: 400, error: "invalid_request" },
  ERR_POLICY_EVALUATION_FAILED: { status: 500, error: "server_error" },
} as const satisfies ErrorTable;

export const policyError = createErrorFactory(POLICY_ERRORS);
