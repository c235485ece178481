import {
  type Bundle,
  bundleFromJSON,
  isBundleWithDsseEnvelope,
  isBundleWithPublicKey,
} from "@sigstore/bundle";
import { PolicyError, toSignedEntity, VerificationError, type Verifier } from "@sigstore/verify";
import type { AttestedStatement, DsseEnvelope, VerificationKey } from "./dsse-envelope.js";
import type { TrustMaterial } from "./load-trust-material.js";
import { parseStatement } from "./parse-statement.js";
import { type ProvenanceErrorCode, provenanceError } from "./provenance-errors.js";
import { type CertificateIdentity, toCertificateIdentity } from "./to-certificate-identity.js";
import type { SigstoreBundleJSON } from "./to-sigstore-bundle.js";
import { verifyEnvelope } from "./verify-envelope.js";

/** Who signed a verified bundle. */
export type BundleSigner =
  | { kind: "certificate"; identity: CertificateIdentity }
  | { kind: "leash-key"; keyid: string }
  | { kind: "registry-key"; keyid: string };

/** A bundle that verified cryptographically, with the statement it carries. */
export interface VerifiedBundle {
  signer: BundleSigner;
  statement: AttestedStatement;
}

/**
 * Verifies one bundle cryptographically: leash's own (public-key hint naming a leash key)
 * against leash's keys; everything else with `@sigstore/verify` against the pinned trust
 * material (certificate chain to Fulcio, SCTs, tlog inclusion/SET, timestamps, signature).
 * Throws a coded ERR_PROVENANCE_* error naming the failed step; `index` names the bundle.
 */
export function verifyBundle(
  json: SigstoreBundleJSON,
  index: number,
  deps: { verifier: Verifier; trust: TrustMaterial; leashKeys: VerificationKey[] },
): VerifiedBundle {
  const bundle = toBundle(json, index);
  if (!isBundleWithDsseEnvelope(bundle)) {
    throw fail("ERR_PROVENANCE_MALFORMED", index, "provenance bundles carry a DSSE envelope");
  }
  if (isBundleWithPublicKey(bundle)) {
    const hint = bundle.verificationMaterial.content.publicKey.hint;
    if (deps.leashKeys.some((k) => k.keyid === hint)) {
      const statement = verifyEnvelope(json["dsseEnvelope"] as DsseEnvelope, deps.leashKeys);
      return { signer: { kind: "leash-key", keyid: hint }, statement };
    }
    if (!deps.trust.registryKeyIds.has(hint)) {
      throw fail("ERR_PROVENANCE_UNKNOWN_KEY", index, `no trusted key has the hint ${hint}`);
    }
  }
  const signer = runSigstore(bundle, index, deps.verifier);
  const env = bundle.content.dsseEnvelope;
  const statement = parseStatement(env.payloadType, env.payload, true);
  if (signer.identity === undefined) {
    const hint = isBundleWithPublicKey(bundle)
      ? bundle.verificationMaterial.content.publicKey.hint
      : "";
    return { signer: { kind: "registry-key", keyid: hint }, statement };
  }
  return { signer: { kind: "certificate", identity: toCertificateIdentity(signer) }, statement };
}

function toBundle(json: SigstoreBundleJSON, index: number): Bundle {
  try {
    return bundleFromJSON(json);
  } catch {
    throw fail("ERR_PROVENANCE_MALFORMED", index, "not a valid Sigstore bundle");
  }
}

function runSigstore(bundle: Bundle, index: number, verifier: Verifier) {
  let entity: ReturnType<typeof toSignedEntity>;
  try {
    entity = toSignedEntity(bundle);
  } catch {
    throw fail(
      "ERR_PROVENANCE_MALFORMED",
      index,
      "the bundle's certificate or timestamp is unreadable",
    );
  }
  try {
    return verifier.verify(entity);
  } catch (err) {
    throw toCodedError(err, index);
  }
}

const SIGSTORE_CODES: Record<string, ProvenanceErrorCode> = {
  CERTIFICATE_ERROR: "ERR_PROVENANCE_CERTIFICATE_INVALID",
  PUBLIC_KEY_ERROR: "ERR_PROVENANCE_KEY_NOT_VALID",
  SIGNATURE_ERROR: "ERR_PROVENANCE_SIGNATURE_INVALID",
  TIMESTAMP_ERROR: "ERR_PROVENANCE_TIMESTAMP_INVALID",
  TLOG_ERROR: "ERR_PROVENANCE_TLOG_INVALID",
  TLOG_BODY_ERROR: "ERR_PROVENANCE_TLOG_INVALID",
  TLOG_INCLUSION_PROOF_ERROR: "ERR_PROVENANCE_TLOG_INVALID",
  TLOG_INCLUSION_PROMISE_ERROR: "ERR_PROVENANCE_TLOG_INVALID",
  TLOG_MISSING_INCLUSION_ERROR: "ERR_PROVENANCE_TLOG_INVALID",
};

/** Maps a sigstore failure to our code; anything unexpected fails closed as BUNDLE_INVALID. */
function toCodedError(err: unknown, index: number) {
  if (err instanceof VerificationError || err instanceof PolicyError) {
    const code = SIGSTORE_CODES[err.code] ?? "ERR_PROVENANCE_BUNDLE_INVALID";
    // sigstore's messages name public facts (log ids, key hints, times), never secrets.
    return fail(code, index, err.message, { sigstore_code: err.code }, err);
  }
  return fail("ERR_PROVENANCE_BUNDLE_INVALID", index, "the bundle could not be verified", {}, err);
}

function fail(
  code: ProvenanceErrorCode,
  index: number,
  what: string,
  detail: Record<string, unknown> = {},
  cause?: unknown,
) {
  const name = code.replace(/^ERR_PROVENANCE_/, "").toLowerCase();
  return provenanceError(
    code,
    `${name}: bundle ${index}: ${what}`,
    { bundle: index, ...detail },
    cause,
  );
}
