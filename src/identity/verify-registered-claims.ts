import { identityError } from "./identity-errors.js";
import type { IssuerConfig } from "./issuer-config.js";

type Claims = Readonly<Record<string, unknown>>;

/**
 * Checks `exp` (required), `nbf` and `iat` against `nowMs` with `maxSkewSeconds` of tolerance.
 * Returns `exp` in milliseconds.
 * @throws ERR_IDENTITY_TOKEN_EXPIRED, ERR_IDENTITY_NOT_YET_VALID, ERR_IDENTITY_ISSUED_IN_FUTURE,
 *   ERR_IDENTITY_CLAIM_MISSING, ERR_IDENTITY_CLAIM_TYPE
 */
export function verifyTimeClaims(claims: Claims, nowMs: number, maxSkewSeconds: number): number {
  const now = nowMs / 1000;
  const exp = readNumericDate(claims, "exp");
  if (exp === undefined) {
    throw identityError("ERR_IDENTITY_CLAIM_MISSING", `the OIDC token has no "exp" claim.`, {
      claim: "exp",
    });
  }
  if (now - maxSkewSeconds >= exp) {
    throw identityError(
      "ERR_IDENTITY_TOKEN_EXPIRED",
      `the OIDC token expired ${Math.round(now - exp)}s ago (exp ${exp}); request a fresh one.`,
      { exp },
    );
  }
  const nbf = readNumericDate(claims, "nbf");
  if (nbf !== undefined && nbf > now + maxSkewSeconds) {
    throw identityError(
      "ERR_IDENTITY_NOT_YET_VALID",
      `the OIDC token is not valid for another ${Math.round(nbf - now)}s (nbf ${nbf}); check clocks.`,
      { nbf },
    );
  }
  const iat = readNumericDate(claims, "iat");
  if (iat !== undefined && iat > now + maxSkewSeconds) {
    throw identityError(
      "ERR_IDENTITY_ISSUED_IN_FUTURE",
      `the OIDC token claims to be issued ${Math.round(iat - now)}s in the future (iat ${iat}).`,
      { iat },
    );
  }
  return exp * 1000;
}

/**
 * Checks `aud` is `audience` or an array holding it.
 * @throws ERR_IDENTITY_AUDIENCE_MISMATCH, ERR_IDENTITY_CLAIM_MISSING, ERR_IDENTITY_CLAIM_TYPE
 */
/** GitHub's default `aud` is the owner's URL; GitLab's is the instance URL. */
function isProviderDefaultAudience(issuer: IssuerConfig, aud: string): boolean {
  if (issuer.provider === "github") return aud.toLowerCase().startsWith("https://github.com/");
  if (issuer.provider === "gitlab")
    return aud.replace(/\/+$/, "") === issuer.url.replace(/\/+$/, "");
  return false;
}

export function verifyAudience(claims: Claims, audience: string, issuer?: IssuerConfig): void {
  const aud = claims["aud"];
  if (aud === undefined) {
    throw identityError("ERR_IDENTITY_CLAIM_MISSING", `the OIDC token has no "aud" claim.`, {
      claim: "aud",
    });
  }
  const list = Array.isArray(aud) ? aud : [aud];
  if (list.length === 0 || !list.every((a) => typeof a === "string")) {
    throw identityError(
      "ERR_IDENTITY_CLAIM_TYPE",
      `the OIDC token's "aud" claim is not a string.`,
      {
        claim: "aud",
      },
    );
  }
  if (!list.includes(audience)) {
    // The provider's default audience means the job asked for a token meant for anyone:
    // its own code so the operator sees the job forgot `audience: leash`, not a typo.
    if (issuer && list.some((a) => isProviderDefaultAudience(issuer, a as string))) {
      throw identityError(
        "ERR_IDENTITY_AUDIENCE_PROVIDER_DEFAULT",
        `the OIDC token carries the provider's default audience; request the ID token with audience "${audience}" (e.g. core.getIDToken("${audience}") or leash token --audience ${audience}).`,
        { expected: audience },
      );
    }
    throw identityError(
      "ERR_IDENTITY_AUDIENCE_MISMATCH",
      `the OIDC token's audience is not "${audience}"; request the token with that audience.`,
      { expected: audience },
    );
  }
}

function readNumericDate(claims: Claims, name: string): number | undefined {
  const value = claims[name];
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw identityError(
      "ERR_IDENTITY_CLAIM_TYPE",
      `the OIDC token's "${name}" claim is not a number of seconds.`,
      { claim: name },
    );
  }
  return value;
}
