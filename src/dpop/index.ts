/**
 * @module dpop
 * RFC 9449 DPoP: verifies a proof of possession for one HTTP request (typ, asymmetric alg,
 * public `jwk`, signature, `htm`, `htu`, `iat` window, `jti`, `ath`, key thumbprint) and
 * computes RFC 7638 thumbprints for `cnf.jkt`. Must never accept `none`/HS* or a private key
 * in the header, and never remembers anything: the replay check on `jti` is the caller's, with
 * its store.
 */
export { computeJwkThumbprint } from "./compute-jwk-thumbprint.js";
export type { DpopErrorCode } from "./dpop-errors.js";
export { DPOP_ERRORS } from "./dpop-errors.js";
export type { DpopProofOptions, VerifiedDpopProof } from "./verify-dpop-proof.js";
export {
  DPOP_MAX_AGE_SECONDS,
  DPOP_MAX_SKEW_SECONDS,
  MAX_DPOP_PROOF_BYTES,
  verifyDpopProof,
} from "./verify-dpop-proof.js";
