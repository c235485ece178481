import { toJobClaims, verifyCapability } from "../capability/index.js";
import { LeashError } from "../errors/index.js";
import type { Leash } from "./leash.js";

/**
 * RFC 7662 introspection for resource servers (admin-authenticated at the edge). A revoked,
 * expired, tampered or foreign token is simply `{ active: false }`, never an error, so the
 * answer reveals nothing about why.
 */
export async function introspectCapability(
  leash: Leash,
  token: string | undefined,
): Promise<Record<string, unknown>> {
  if (!token) return { active: false };
  try {
    const cap = await verifyCapability(token, {
      keyRing: leash.keyRing,
      store: leash.store,
      clock: leash.clock,
      issuer: leash.issuer,
    });
    return {
      active: true,
      token_type: "Bearer",
      iss: leash.issuer,
      sub: cap.subject,
      jti: cap.id,
      iat: cap.issuedAtMs / 1000,
      exp: cap.expiresAtMs / 1000,
      scope: [`zone:${cap.zone}`, ...cap.actions].join(" "),
      zone: cap.zone,
      actions: cap.actions,
      rule: cap.rule,
      job: toJobClaims(cap.job),
      ...(cap.jkt ? { cnf: { jkt: cap.jkt } } : {}),
    };
  } catch (err) {
    if (err instanceof LeashError) return { active: false };
    throw err;
  }
}
