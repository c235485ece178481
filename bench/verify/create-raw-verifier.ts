import { TrustedRoot } from "@sigstore/protobuf-specs";
import { toTrustMaterial, Verifier } from "@sigstore/verify";

/** `@sigstore/verify` exactly as its README uses it: one Verifier over a trusted root. */
export function createRawVerifier(trustedRootJson: unknown): Verifier {
  return new Verifier(toTrustMaterial(TrustedRoot.fromJSON(trustedRootJson)));
}
