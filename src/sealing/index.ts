/**
 * @module sealing
 * The master key and authenticated encryption of everything secret at rest (private signing
 * keys, brokered secrets). Must never log, return or put in an error the key or a plaintext.
 */
export { loadMasterKey, MASTER_KEY_FILE } from "./master-key.js";
export { seal, unseal } from "./seal.js";
export { SEALING_ERRORS } from "./sealing-errors.js";
