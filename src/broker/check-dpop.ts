import { verifyDpopProof } from "../dpop/index.js";
import { brokerError } from "./broker-errors.js";
import type { Leash } from "./leash.js";

/** What the edge hands over for RFC 9449: the `DPoP` header and the request it came with. */
export interface DpopInput {
  proof: string | undefined;
  method: string;
  /** The request URL as the client addressed it (leash's public URL + path). */
  url: string;
}

const PROOF_MAX_AGE_SECONDS = 60;

/**
 * Verifies a DPoP proof for this request and spends its `jti` once, so a captured proof
 * can't be replayed. With `accessToken`, the proof must carry its hash (`ath`); with
 * `expectedJkt`, it must be signed by the key the capability is bound to.
 */
export async function verifyRequestProof(
  leash: Leash,
  dpop: DpopInput,
  accessToken: string | undefined,
  expectedJkt?: string,
): Promise<{ jkt: string }> {
  if (!dpop.proof)
    throw brokerError(
      "ERR_EXCHANGE_DPOP_REQUIRED",
      "a DPoP proof header is required for this request",
    );
  const proof = await verifyDpopProof(dpop.proof, {
    method: dpop.method,
    url: dpop.url,
    clock: leash.clock,
    maxAgeSeconds: PROOF_MAX_AGE_SECONDS,
    ...(accessToken ? { accessToken } : {}),
    ...(expectedJkt ? { expectedJkt } : {}),
  });
  const expiresMs = (proof.iatSeconds + PROOF_MAX_AGE_SECONDS * 2) * 1000;
  if (
    !(await leash.store.claimOnce(`dpop:${proof.jkt}:${proof.jti}`, expiresMs, leash.clock.now()))
  ) {
    throw brokerError(
      "ERR_EXCHANGE_DPOP_REPLAYED",
      "this DPoP proof was already used; make a fresh proof (new jti) for every request",
    );
  }
  return { jkt: proof.jkt };
}
