import { createHmac, hkdfSync } from "node:crypto";

const FINGERPRINT_INFO = "leash secret fingerprint";

/**
 * The HMAC key for fingerprints, derived from the master key (HKDF-SHA-256). A separate key,
 * so a fingerprint never helps an attack on the master key, and without it nobody can test
 * a guessed value against a fingerprint in the audit log.
 */
export function deriveFingerprintKey(masterKey: Buffer): Buffer {
  return Buffer.from(hkdfSync("sha256", masterKey, Buffer.alloc(0), FINGERPRINT_INFO, 32));
}

/**
 * `hmac-sha256:<hex>` of the value: the only trace of a secret value that may appear in a
 * record. Equal values give equal fingerprints under one master key, so an operator can tell
 * which version was released; it changes when the master key does.
 */
export function fingerprintSecret(value: string, key: Buffer): string {
  return `hmac-sha256:${createHmac("sha256", key).update(value, "utf8").digest("hex")}`;
}
