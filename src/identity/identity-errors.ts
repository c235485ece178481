import { createErrorFactory, type ErrorTable } from "../errors/index.js";

/**
 * Every way an OIDC token or an issuer configuration can be refused. Token problems are
 * `invalid_grant` (the caller can fix them by bringing a better token); an issuer whose keys
 * cannot be fetched is `temporarily_unavailable`; configuration mistakes are `server_error`.
 */
export const IDENTITY_ERRORS = {
  ERR_IDENTITY_TOKEN_TOO_LARGE: { status: 401, error: "invalid_grant" },
  ERR_IDENTITY_TOKEN_MALFORMED: { status: 401, error: "invalid_grant" },
  ERR_IDENTITY_ALG_NOT_ALLOWED: { status: 401, error: "invalid_grant" },
  ERR_IDENTITY_UNKNOWN_ISSUER: { status: 401, error: "invalid_grant" },
  ERR_IDENTITY_UNKNOWN_KID: { status: 401, error: "invalid_grant" },
  ERR_IDENTITY_BAD_SIGNATURE: { status: 401, error: "invalid_grant" },
  ERR_IDENTITY_TOKEN_EXPIRED: { status: 401, error: "invalid_grant" },
  ERR_IDENTITY_NOT_YET_VALID: { status: 401, error: "invalid_grant" },
  ERR_IDENTITY_ISSUED_IN_FUTURE: { status: 401, error: "invalid_grant" },
  ERR_IDENTITY_AUDIENCE_MISMATCH: { status: 401, error: "invalid_grant" },
  ERR_IDENTITY_AUDIENCE_PROVIDER_DEFAULT: { status: 401, error: "invalid_grant" },
  ERR_IDENTITY_CLAIM_TYPE: { status: 401, error: "invalid_grant" },
  ERR_IDENTITY_CLAIM_MISSING: { status: 401, error: "invalid_grant" },
  ERR_IDENTITY_SUBJECT_MISMATCH: { status: 401, error: "invalid_grant" },
  ERR_IDENTITY_JWKS_UNAVAILABLE: { status: 503, error: "temporarily_unavailable" },
  ERR_IDENTITY_DEFAULT_AUDIENCE: { status: 500, error: "server_error" },
  ERR_IDENTITY_ISSUER_CONFIG: { status: 500, error: "server_error" },
} as const satisfies ErrorTable;

export type IdentityErrorCode = keyof typeof IDENTITY_ERRORS;

/** `throw identityError("ERR_IDENTITY_TOKEN_EXPIRED", "…")`, code type-checked. */
export const identityError = createErrorFactory(IDENTITY_ERRORS);
