/**
 * @module provenance
 * Produces and verifies provenance. Produces: in-toto Statements v1 (SLSA provenance v1)
 * signed by leash's key in DSSE envelopes, handed out as Sigstore bundles with public-key
 * verification material. Verifies: leash's own bundles against leash's keys, and Sigstore
 * keyless bundles (GitHub Actions, npm) fully offline against pinned trust material, then
 * the artifact's digest, the predicate's agreement with the certificate, and an identity
 * policy after `gh attestation verify`. Holds no private key (a signer is passed in), never
 * fetches trust material at run time, and never treats an unverified payload as data.
 */
export type {
  ProvenanceVerifier,
  VerificationResult,
  VerifyProvenanceInput,
} from "./create-provenance-verifier.js";
export {
  createProvenanceVerifier,
  DEFAULT_VERIFIED_CACHE_ENTRIES,
} from "./create-provenance-verifier.js";
export type { ProvenanceArtifact, ProvenanceJob } from "./create-slsa-provenance.js";
export {
  createSlsaProvenance,
  LEASH_BUILD_TYPE,
  SLSA_PROVENANCE_V1,
} from "./create-slsa-provenance.js";
export { digestFile } from "./digest-file.js";
export type {
  AttestedStatement,
  DsseEnvelope,
  DsseSigner,
  InTotoStatement,
  StatementSubject,
  VerificationKey,
} from "./dsse-envelope.js";
export {
  IN_TOTO_PAYLOAD_TYPE,
  STATEMENT_V1,
  STATEMENT_V01,
  toPreAuthEncoding,
} from "./dsse-envelope.js";
export type { TrustMaterial } from "./load-trust-material.js";
export { loadTrustMaterial, parseTrustMaterial } from "./load-trust-material.js";
export type {
  CompiledIdentityPolicy,
  IdentityMismatch,
  IdentityPolicy,
  ProvenanceIdentity,
} from "./match-identity-policy.js";
export { compileIdentityPolicy, GITHUB_ACTIONS_ISSUER } from "./match-identity-policy.js";
export { MAX_BUNDLES_PER_FILE, parseBundleFile } from "./parse-bundle-file.js";
export type { ProvenanceErrorCode } from "./provenance-errors.js";
export { PROVENANCE_ERRORS } from "./provenance-errors.js";
export { signStatement } from "./sign-statement.js";
export type { LeashSigstoreBundle, SigstoreBundleJSON } from "./to-sigstore-bundle.js";
export { toSigstoreBundle } from "./to-sigstore-bundle.js";
export { verifyEnvelope } from "./verify-envelope.js";
export { SLSA_PROVENANCE_V02 } from "./verify-predicate-claims.js";
export type { ArtifactDigest } from "./verify-subject-digest.js";
