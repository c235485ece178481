import { BUNDLE_V03_MEDIA_TYPE } from "@sigstore/bundle";
import type { DsseEnvelope } from "./dsse-envelope.js";

/**
 * A Sigstore bundle in its JSON form (any version), as files and registries carry it.
 * Deliberately loose: it is untrusted input until `@sigstore/bundle` has validated it.
 */
export interface SigstoreBundleJSON {
  mediaType: string;
  verificationMaterial: unknown;
  [field: string]: unknown;
}

/** The bundle leash hands out for its own attestations. */
export interface LeashSigstoreBundle extends SigstoreBundleJSON {
  mediaType: typeof BUNDLE_V03_MEDIA_TYPE;
  verificationMaterial: {
    publicKey: { hint: string };
    tlogEntries: never[];
    timestampVerificationData: { rfc3161Timestamps: never[] };
  };
  dsseEnvelope: DsseEnvelope;
}

/**
 * Wraps a leash-signed DSSE envelope in a Sigstore bundle v0.3 with public-key verification
 * material, so standard tools (sigstore-js, cosign) verify it against leash's published key
 * named by `keyHint`. No transparency-log entry or timestamp: leash's key is the trust root.
 */
export function toSigstoreBundle(envelope: DsseEnvelope, keyHint: string): LeashSigstoreBundle {
  return {
    mediaType: BUNDLE_V03_MEDIA_TYPE,
    verificationMaterial: {
      publicKey: { hint: keyHint },
      tlogEntries: [],
      timestampVerificationData: { rfc3161Timestamps: [] },
    },
    dsseEnvelope: {
      payload: envelope.payload,
      payloadType: envelope.payloadType,
      signatures: envelope.signatures.map((s) => ({ keyid: s.keyid, sig: s.sig })),
    },
  };
}
