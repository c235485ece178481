/**
 * @module identity
 * Verifies a CI job's OIDC ID token (GitHub Actions, GitLab CI, any OIDC issuer) and turns its
 * claims into one normalized `WorkloadIdentity`. Owns the trusted-issuer check, the per-issuer
 * JWKS cache (discovery, unknown-`kid` refetch with a cooldown, one in-flight fetch), the
 * algorithm allow-list, `aud`/`exp`/`nbf`/`iat` checks and per-provider claim rules.
 * Must never trust a token's content before its signature verifies, follow a URL or key a
 * token names (`jku`, `x5u`, `jwk`), coerce a claim's type, or put a token in an error or log
 * (tokens are referred to by SHA-256 only). Matching identities to grants is `trust`'s job.
 */

export { MAX_JWKS_COOLDOWN_MS } from "./create-jwks-cache.js";
export type { OidcVerifier, OidcVerifierOptions } from "./create-oidc-verifier.js";
export { createOidcVerifier, MAX_SKEW_SECONDS } from "./create-oidc-verifier.js";
export type { IdentityErrorCode } from "./identity-errors.js";
export { IDENTITY_ERRORS } from "./identity-errors.js";
export type { IssuerConfig, Provider } from "./issuer-config.js";
export {
  checkIssuerAudience,
  checkIssuerConfig,
  DEFAULT_ALGORITHMS,
  isAllowedIssuerUrl,
} from "./issuer-config.js";
export { MAX_TOKEN_BYTES } from "./parse-compact-jwt.js";
export type { VerifiedOidcToken, WorkloadIdentity } from "./workload-identity.js";
