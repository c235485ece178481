import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { sealingError } from "./sealing-errors.js";

const VERSION = "v1";
/** GCM's full tag; a shorter one would be checked only as far as it goes (forgeable). */
const TAG_BYTES = 16;
const NONCE_BYTES = 12;

/**
 * AES-256-GCM with a random 96-bit nonce; `aad` binds the ciphertext to what it is
 * (e.g. the key id), so a sealed blob can't be swapped onto another row.
 * Output: `v1.<nonce>.<ciphertext>.<tag>` in base64url.
 */
export function seal(kek: Buffer, plaintext: Uint8Array, aad: string): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", kek, nonce);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [VERSION, nonce, body, cipher.getAuthTag()]
    .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
    .join(".");
}

/**
 * Opens a sealed blob. Throws ERR_SEALING_UNSEAL_FAILED on a wrong key, wrong aad,
 * tampering, or a blob that is not exactly `v1.<12-byte nonce>.<body>.<16-byte tag>`.
 */
export function unseal(kek: Buffer, sealed: string, aad: string): Buffer {
  const parts = sealed.split(".");
  const [version, nonceText, bodyText, tagText] = parts;
  const nonce = toBytes(nonceText);
  const body = toBytes(bodyText);
  const tag = toBytes(tagText);
  if (
    parts.length !== 4 ||
    version !== VERSION ||
    nonce?.length !== NONCE_BYTES ||
    body === null ||
    tag?.length !== TAG_BYTES
  ) {
    throw sealingError("ERR_SEALING_UNSEAL_FAILED", "a sealed value in the store is malformed");
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", kek, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad, "utf8"));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw sealingError(
      "ERR_SEALING_UNSEAL_FAILED",
      "cannot decrypt a sealed value in the store: this instance's master key differs from the one that sealed it (set the same LEASH_MASTER_KEY on every instance)",
    );
  }
}

/** Strict base64url: only the one canonical text of its bytes (Buffer.from skips junk). */
function toBytes(text: string | undefined): Buffer | null {
  if (text === undefined) return null;
  const bytes = Buffer.from(text, "base64url");
  return bytes.toString("base64url") === text ? bytes : null;
}
