import { createErrorFactory, type ErrorTable } from "../errors/index.js";

/**
 * Codes of the provenance domain. Unusable input is a 400; material that is well-formed
 * but does not verify (signature, chain, log, identity, subject) is a 422; trust material
 * leash cannot load is its own fault (500).
 */
export const PROVENANCE_ERRORS = {
  ERR_PROVENANCE_MALFORMED: { status: 400, error: "invalid_request" },
  ERR_PROVENANCE_POLICY_INVALID: { status: 400, error: "invalid_request" },
  ERR_PROVENANCE_SIGNATURE_INVALID: { status: 422, error: "invalid_request" },
  ERR_PROVENANCE_UNKNOWN_KEY: { status: 422, error: "invalid_request" },
  ERR_PROVENANCE_KEY_NOT_VALID: { status: 422, error: "invalid_request" },
  ERR_PROVENANCE_CERTIFICATE_INVALID: { status: 422, error: "invalid_request" },
  ERR_PROVENANCE_TLOG_INVALID: { status: 422, error: "invalid_request" },
  ERR_PROVENANCE_TIMESTAMP_INVALID: { status: 422, error: "invalid_request" },
  ERR_PROVENANCE_BUNDLE_INVALID: { status: 422, error: "invalid_request" },
  ERR_PROVENANCE_IDENTITY_MISMATCH: { status: 422, error: "invalid_request" },
  ERR_PROVENANCE_PREDICATE_MISMATCH: { status: 422, error: "invalid_request" },
  ERR_PROVENANCE_SUBJECT_MISMATCH: { status: 422, error: "invalid_request" },
  ERR_PROVENANCE_NO_ATTESTATION: { status: 422, error: "invalid_request" },
  ERR_PROVENANCE_TRUST_MATERIAL_INVALID: { status: 500, error: "server_error" },
} as const satisfies ErrorTable;

export type ProvenanceErrorCode = keyof typeof PROVENANCE_ERRORS;

export const provenanceError = createErrorFactory(PROVENANCE_ERRORS);
