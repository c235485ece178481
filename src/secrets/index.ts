/**
 * @module secrets
 * Brokered secrets at rest: each value sealed (AES-256-GCM) under its own data key per
 * version, the data key wrapped by the master key, both bound to name and version; keyed
 * fingerprints for the record; re-wrapping under a new master key. Must never put a value
 * or a key in an error, log line or record: a fingerprint is the only trace of a value.
 */
export type { SecretSealer } from "./create-secret-sealer.js";
export { createSecretSealer } from "./create-secret-sealer.js";
export type { CredentialShape } from "./credential-shapes.js";
export {
  CREDENTIAL_SHAPES,
  createShapeTailPattern,
  escapeRegExp,
  PEM_BEGIN,
  PEM_END,
  PEM_END_TAIL,
} from "./credential-shapes.js";
export { deriveFingerprintKey, fingerprintSecret } from "./fingerprint-secret.js";
export { maskCredentials } from "./mask-credentials.js";
export type { SealedInventory } from "./rewrap-all.js";
export { rewrapAll } from "./rewrap-all.js";
export type { RewrapCount } from "./rewrap-store.js";
export { rewrapStore } from "./rewrap-store.js";
export type { SealedSecret } from "./seal-secret.js";
export { openSecret, sealSecret } from "./seal-secret.js";
export type { SecretErrorCode } from "./secret-errors.js";
export { SECRET_ERRORS, secretError } from "./secret-errors.js";
export {
  MAX_SECRET_VALUE_BYTES,
  verifySecretName,
  verifySecretValue,
} from "./verify-secret-input.js";
