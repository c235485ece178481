import { identityError } from "./identity-errors.js";

/** Tokens above this are refused before any parsing (GitHub's are ~1.5 KiB). */
export const MAX_TOKEN_BYTES = 16 * 1024;

/** A compact JWT split and decoded, nothing verified yet. */
export interface UnverifiedJwt {
  readonly header: Readonly<Record<string, unknown>>;
  readonly payload: Readonly<Record<string, unknown>>;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Splits and decodes a compact JWS whose header and payload are JSON objects. Nothing in the
 * result is trusted: it only tells which issuer and key to verify against.
 * @throws ERR_IDENTITY_TOKEN_TOO_LARGE, ERR_IDENTITY_TOKEN_MALFORMED
 */
export function parseCompactJwt(token: string): UnverifiedJwt {
  if (typeof token !== "string") {
    throw identityError("ERR_IDENTITY_TOKEN_MALFORMED", "the subject token must be a string.");
  }
  // Length in UTF-16 units bounds the byte length of any valid (ASCII) token; check before work.
  if (token.length > MAX_TOKEN_BYTES) {
    throw identityError(
      "ERR_IDENTITY_TOKEN_TOO_LARGE",
      `the OIDC token is larger than ${MAX_TOKEN_BYTES} bytes.`,
    );
  }
  const parts = token.split(".");
  if (parts.length !== 3) {
    throw identityError(
      "ERR_IDENTITY_TOKEN_MALFORMED",
      "the OIDC token is not a compact JWT (three base64url parts separated by dots).",
    );
  }
  const [h, p, s] = parts as [string, string, string];
  // The signature may be empty only for `alg: none`, which is refused later with its own code.
  if (!BASE64URL.test(h) || !BASE64URL.test(p) || (s !== "" && !BASE64URL.test(s))) {
    throw identityError("ERR_IDENTITY_TOKEN_MALFORMED", "the OIDC token is not base64url.");
  }
  return { header: decodeJsonObject(h, "header"), payload: decodeJsonObject(p, "payload") };
}

function decodeJsonObject(part: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  } catch {
    throw identityError("ERR_IDENTITY_TOKEN_MALFORMED", `the OIDC token ${what} is not JSON.`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw identityError(
      "ERR_IDENTITY_TOKEN_MALFORMED",
      `the OIDC token ${what} is not a JSON object.`,
    );
  }
  return value as Record<string, unknown>;
}
