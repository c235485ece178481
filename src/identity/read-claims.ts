import { identityError } from "./identity-errors.js";

type Claims = Readonly<Record<string, unknown>>;

/**
 * A claim that must be a non-empty string. Never coerced: a number where the provider sends a
 * string is refused, because a coerced value could match a trust rule it was never meant to.
 * @throws ERR_IDENTITY_CLAIM_MISSING, ERR_IDENTITY_CLAIM_TYPE
 */
export function readRequiredString(claims: Claims, name: string): string {
  const value = claims[name];
  if (value === undefined || value === null || value === "") {
    throw identityError(
      "ERR_IDENTITY_CLAIM_MISSING",
      `the OIDC token has no "${name}" claim, which this issuer's tokens must carry.`,
      { claim: name },
    );
  }
  if (typeof value !== "string") throw claimTypeError(name, value);
  return value;
}

/**
 * A claim that may be absent (or null); when present it must be a string.
 * @throws ERR_IDENTITY_CLAIM_TYPE
 */
export function readOptionalString(claims: Claims, name: string): string | undefined {
  const value = claims[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw claimTypeError(name, value);
  return value;
}

/** Checks that each named claim, when present, is a string. @throws ERR_IDENTITY_CLAIM_TYPE */
export function checkStringClaims(claims: Claims, names: readonly string[]): void {
  for (const name of names) readOptionalString(claims, name);
}

/** Every string-valued claim, frozen (built with fromEntries so `__proto__` stays a plain key). */
export function toStringClaims(claims: Claims): Readonly<Record<string, string>> {
  return Object.freeze(
    Object.fromEntries(Object.entries(claims).filter(([, v]) => typeof v === "string")),
  ) as Readonly<Record<string, string>>;
}

function claimTypeError(name: string, value: unknown) {
  const actual = Array.isArray(value) ? "array" : value === null ? "null" : typeof value;
  return identityError(
    "ERR_IDENTITY_CLAIM_TYPE",
    `the OIDC token's "${name}" claim is a ${actual}, not a string.`,
    { claim: name, type: actual },
  );
}
