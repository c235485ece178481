import { ASN1Obj } from "@sigstore/core";
import type { Signer } from "@sigstore/verify";

/** Fulcio's OID arc for its certificate extensions. */
const FULCIO_ARC = "1.3.6.1.4.1.57264.1.";

/**
 * The workload identity a Fulcio certificate vouches for, with the newer extensions
 * preferred and the older ones (and the SAN) as fallbacks. Absent means the certificate
 * does not say; a policy that needs an absent value fails.
 */
export interface CertificateIdentity {
  issuer: string | undefined;
  subjectAlternativeName: string | undefined;
  /** Build signer URI (.9), else the SAN: the workflow file that signed. */
  signerWorkflow: string | undefined;
  signerDigest: string | undefined;
  runnerEnvironment: string | undefined;
  sourceRepository: string | undefined;
  sourceRepositoryId: string | undefined;
  ownerId: string | undefined;
  sourceRef: string | undefined;
  commit: string | undefined;
  buildConfigUri: string | undefined;
  runInvocationUri: string | undefined;
  buildTrigger: string | undefined;
}

/** Reads the identity from the signer `@sigstore/verify` returned for a verified certificate. */
export function toCertificateIdentity(signer: Signer): CertificateIdentity {
  const ext = readFulcioExtensions(signer);
  const san = signer.identity?.subjectAlternativeName;
  return {
    issuer: ext.get(8) ?? ext.get(1) ?? signer.identity?.extensions?.issuer,
    subjectAlternativeName: san,
    signerWorkflow: ext.get(9) ?? san,
    signerDigest: ext.get(10),
    runnerEnvironment: ext.get(11),
    sourceRepository: ext.get(12) ?? legacyRepositoryUri(ext.get(5), san),
    sourceRepositoryId: ext.get(15),
    ownerId: ext.get(17),
    sourceRef: ext.get(14) ?? ext.get(6),
    commit: ext.get(13) ?? ext.get(3),
    buildConfigUri: ext.get(18),
    runInvocationUri: ext.get(21),
    buildTrigger: ext.get(20) ?? ext.get(2),
  };
}

/** Fulcio extension number → its string value. */
function readFulcioExtensions(signer: Signer): Map<number, string> {
  const out = new Map<number, string>();
  for (const pair of signer.identity?.oids ?? []) {
    const oid = pair.oid?.id.join(".") ?? "";
    if (!oid.startsWith(FULCIO_ARC)) continue;
    const n = Number(oid.slice(FULCIO_ARC.length));
    // .1–.6 hold raw bytes; .8 onwards hold a DER UTF8String.
    const value = n <= 7 ? pair.value.toString("utf8") : decodeUtf8String(pair.value);
    if (value !== undefined) out.set(n, value);
  }
  return out;
}

function decodeUtf8String(der: Buffer): string | undefined {
  try {
    const obj = ASN1Obj.parseBuffer(Buffer.from(der));
    // 0x0c is UTF8String; anything else is not what Fulcio writes, so it counts as absent.
    return obj.tag.number === 0x0c ? obj.value.toString("utf8") : undefined;
  } catch {
    return undefined;
  }
}

/** Older certificates name the repository as `owner/name` (.5); the SAN gives the host. */
function legacyRepositoryUri(ownerAndName: string | undefined, san: string | undefined) {
  if (ownerAndName === undefined || san === undefined) return undefined;
  try {
    return `${new URL(san).origin}/${ownerAndName}`;
  } catch {
    return undefined;
  }
}
