import { createErrorFactory, type ErrorTable } from "../errors/index.js";

/**
 * How a DPoP proof (RFC 9449) is refused. A proof that is broken or signed wrongly is
 * `invalid_dpop_proof`; a well-formed proof for another key, request or access token is
 * `invalid_token`; a proof outside its time window is `invalid_dpop_proof` with its own code.
 */
export const DPOP_ERRORS = {
  ERR_DPOP_PROOF_INVALID: { status: 400, error: "invalid_dpop_proof" },
  ERR_DPOP_PROOF_MISMATCH: { status: 401, error: "invalid_token" },
  ERR_DPOP_PROOF_STALE: { status: 400, error: "invalid_dpop_proof" },
} as const satisfies ErrorTable;

export type DpopErrorCode = keyof typeof DPOP_ERRORS;

/** `throw dpopError("ERR_DPOP_PROOF_STALE", "…")`, code type-checked. */
export const dpopError = createErrorFactory(DPOP_ERRORS);
