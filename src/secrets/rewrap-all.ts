import { timingSafeEqual } from "node:crypto";
import { rewrapSigningKey } from "../capability/index.js";
import type { SealedRewrap, SecretRow, SigningKeyRow } from "../store/index.js";
import { rewrapDataKey } from "./seal-secret.js";
import { secretError } from "./secret-errors.js";

/** Everything in a store that the master key sealed. */
export interface SealedInventory {
  secrets: readonly SecretRow[];
  signingKeys: readonly SigningKeyRow[];
}

/**
 * Re-wraps every secret data key and every signing key from `oldKey` to `newKey`, in memory;
 * the store applies the result in one transaction (`replaceSealed`). Values stay sealed under
 * their data keys. Throws ERR_SEALING_UNSEAL_FAILED, before anything is written, when
 * `oldKey` did not seal one of them; ERR_SECRET_MASTER_KEY_UNCHANGED when the keys are equal.
 */
export function rewrapAll(oldKey: Buffer, newKey: Buffer, sealed: SealedInventory): SealedRewrap {
  if (oldKey.length === newKey.length && timingSafeEqual(oldKey, newKey)) {
    throw secretError(
      "ERR_SECRET_MASTER_KEY_UNCHANGED",
      "the new master key is the current one: create a new key with openssl rand -base64 32",
    );
  }
  return {
    secrets: sealed.secrets.map((s) => ({
      name: s.name,
      version: s.version,
      sealedDataKey: rewrapDataKey(oldKey, newKey, s),
    })),
    signingKeys: sealed.signingKeys.map((k) => ({
      kid: k.kid,
      privateSealed: rewrapSigningKey(k, oldKey, newKey),
    })),
  };
}
