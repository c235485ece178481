import type { Store } from "../store/index.js";
import { rewrapAll } from "./rewrap-all.js";
import { secretError } from "./secret-errors.js";

/** How many sealed items a master-key rotation re-wrapped. */
export interface RewrapCount {
  secrets: number;
  signingKeys: number;
}

/**
 * Re-wraps everything in `store` the master key sealed — every secret's data key and every
 * signing key — from `oldKey` to `newKey`, in one transaction. Nothing is written when the
 * old key does not open one of them (ERR_SEALING_UNSEAL_FAILED) or when a put or key rotation
 * changed the store meanwhile (ERR_SECRET_REWRAP_CONFLICT): never half old, half new.
 */
export async function rewrapStore(
  store: Store,
  oldKey: Buffer,
  newKey: Buffer,
): Promise<RewrapCount> {
  const secrets = await store.listSealedSecrets();
  const signingKeys = await store.listSigningKeys();
  const rewrap = rewrapAll(oldKey, newKey, { secrets, signingKeys });
  if (!(await store.replaceSealed(rewrap))) {
    throw secretError(
      "ERR_SECRET_REWRAP_CONFLICT",
      "secrets or signing keys changed while the master key was rotated; nothing was changed: stop every leash instance and run the rotation again",
    );
  }
  return { secrets: secrets.length, signingKeys: signingKeys.length };
}
