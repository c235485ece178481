/**
 * @module encoding
 * Canonical JSON, digests and ids: the byte-exact forms that hashes and signatures cover.
 */
export { toCanonicalJson } from "./canonical-json.js";
export { createId, sha256Hex } from "./digest.js";
