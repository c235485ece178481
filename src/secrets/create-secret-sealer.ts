import { deriveFingerprintKey, fingerprintSecret } from "./fingerprint-secret.js";
import { openSecret, type SealedSecret, sealSecret } from "./seal-secret.js";

/**
 * The broker's crypto bound to the master key, which stays in this closure: the object has
 * no key property, so no log or serializer of the composition root can print it.
 */
export interface SecretSealer {
  seal(name: string, value: string, version: number): SealedSecret;
  /** Throws ERR_SEALING_UNSEAL_FAILED on a wrong key or tampered row. */
  open(sealed: SealedSecret): string;
  fingerprint(value: string): string;
}

export function createSecretSealer(masterKey: Buffer): SecretSealer {
  const key = Buffer.from(masterKey);
  const fingerprintKey = deriveFingerprintKey(key);
  return {
    seal: (name, value, version) => sealSecret(key, name, value, version),
    open: (sealed) => openSecret(key, sealed),
    fingerprint: (value) => fingerprintSecret(value, fingerprintKey),
  };
}
