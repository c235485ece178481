/**
 * @module capability
 * Mints, verifies and revokes leash capabilities; owns leash's signing keys and their JWKS.
 * Must never carry a cloud or deploy secret inside a capability, nor outlive its zone's cap.
 */
export type { Capability, JobContext } from "./capability.js";
export { CAPABILITY_JWT_TYPE } from "./capability.js";
export { CAPABILITY_ERRORS, capabilityError } from "./capability-errors.js";
export type { KeyRing, SigningKey } from "./key-ring.js";
export { createKeyRing, rewrapSigningKey } from "./key-ring.js";
export type { MintedCapability, MintInput } from "./mint-capability.js";
export { mintCapability, toJobClaims } from "./mint-capability.js";
export type { VerifyCapabilityOptions } from "./verify-capability.js";
export { REVOCATION_CLOCK_SKEW_MS, verifyCapability } from "./verify-capability.js";
