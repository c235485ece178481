import { createHash, randomBytes } from "node:crypto";

/** SHA-256 of text or bytes as lowercase hex. Tokens are only ever logged as this. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** A prefixed random id (`dec_…`, `cap_…`, `att_…`): 128 bits, base64url. */
export function createId(prefix: string): string {
  return `${prefix}_${randomBytes(16).toString("base64url")}`;
}
