import { type Capability, capabilityError, verifyCapability } from "../capability/index.js";
import { type DpopInput, verifyRequestProof } from "./check-dpop.js";
import type { Leash } from "./leash.js";

/**
 * Who is asking: the capability from `Authorization: Bearer|DPoP …`, verified and checked
 * against revocations; a DPoP-bound capability also needs a fresh proof from its key.
 * Throws ERR_CAPABILITY_* (401).
 */
export async function authenticateCapability(
  leash: Leash,
  token: string | undefined,
  dpop: DpopInput | undefined,
): Promise<Capability> {
  if (!token) {
    throw capabilityError(
      "ERR_CAPABILITY_MISSING",
      "send the capability as Authorization: Bearer <capability> (from leash token)",
    );
  }
  const cap = await verifyCapability(token, {
    keyRing: leash.keyRing,
    store: leash.store,
    clock: leash.clock,
    issuer: leash.issuer,
  });
  if (cap.jkt) {
    if (!dpop?.proof) {
      throw capabilityError(
        "ERR_CAPABILITY_DPOP_REQUIRED",
        "this capability is bound to a DPoP key: send a fresh DPoP proof header with every request",
      );
    }
    await verifyRequestProof(leash, dpop, token, cap.jkt);
  }
  return cap;
}
