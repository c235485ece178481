import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { sealingError } from "./sealing-errors.js";

const VERSION = "v1";

/**
 * AES-256-GCM with a random 96-bit nonce; `aad` binds the ciphertext to what it is
 * (e.g. the key id), so a sealed blob can't be swapped onto another row.
 * Output: `v1.<nonce>.<ciphertext>.<tag>` in base64url.
 */
export function seal(kek: Buffer, plaintext: Uint8Array, aad: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", kek, nonce);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [VERSION, nonce, body, cipher.getAuthTag()]
    .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
    .join(".");
}

/** Opens a sealed blob. Throws ERR_SEALING_UNSEAL_FAILED on a wrong key, wrong aad or tampering. */
export function unseal(kek: Buffer, sealed: string, aad: string): Buffer {
  const [version, nonce, body, tag] = sealed.split(".");
  if (version !== VERSION || !nonce || body === undefined || !tag) {
    throw sealingError("ERR_SEALING_UNSEAL_FAILED", "a sealed value in the store is malformed");
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", kek, Buffer.from(nonce, "base64url"));
    decipher.setAAD(Buffer.from(aad, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]);
  } catch {
    throw sealingError(
      "ERR_SEALING_UNSEAL_FAILED",
      "cannot decrypt a sealed value in the store: this instance's master key differs from the one that sealed it (set the same LEASH_MASTER_KEY on every instance)",
    );
  }
}
