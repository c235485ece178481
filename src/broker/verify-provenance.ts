import type { Capability } from "../capability/index.js";
import type { ProvenanceFacts } from "../evidence/index.js";
import {
  type ArtifactDigest,
  type IdentityPolicy,
  type ProvenanceIdentity,
  parseBundleFile,
  type SigstoreBundleJSON,
  type VerificationResult,
} from "../provenance/index.js";
import type { AttestationRow } from "../store/index.js";
import { toEvidenceStatement, toProducer } from "./attestation-statement.js";
import { authenticateCapability } from "./authenticate-capability.js";
import { type Caller, toRecordPrincipal } from "./authorize-action.js";
import type { Leash } from "./leash.js";
import { type Decided, type DraftRecord, recordDecision, startRecord } from "./record-decision.js";
import { stageSignedStatement } from "./stage-signed-statement.js";

/** A bundle file's content, the artifact's digest, and who must have built it. */
export interface VerifyRequest {
  /** One bundle, an npm attestations document, an array of bundles, or JSON-lines text. */
  bundle: unknown;
  /** `sha256:<hex>` or `sha512:<hex>`. */
  digest: string;
  policy: IdentityPolicy;
}

export interface VerifyAnswer {
  /** The provenance evidence kept for later decisions; null when the selected bundles name no source commit. */
  id: string | null;
  identity: ProvenanceIdentity[];
  facts: ProvenanceFacts | null;
}

/**
 * Verification on behalf of a capability: the bundles are verified (leash's keys, or Sigstore
 * offline against the pinned roots) and checked against the identity policy; on success leash
 * signs and keeps `provenance` evidence for the capability's repository, keyed by the digest,
 * so deploy and admission decisions find it without verifying again. Failures are recorded
 * with their ERR_PROVENANCE_* code and answered 4xx.
 */
export async function verifyProvenance(
  leash: Leash,
  caller: Caller,
  req: VerifyRequest,
): Promise<Decided<VerifyAnswer>> {
  const record = startRecord(leash, "verify");
  record.action = "provenance.verify";
  record.resource = { type: "Artifact", id: req.digest };
  record.artifacts = [req.digest];
  record.detail = { provenance_verified: false };
  return recordDecision(leash, record, async (evidence) => {
    const cap = await authenticateCapability(leash, caller.token, caller.dpop);
    record.principal = toRecordPrincipal(cap);
    const result = leash.provenance.verify({
      bundles: toBundles(req.bundle),
      artifactDigest: toArtifactDigest(req.digest),
      policy: req.policy,
    });
    record.result = "allow";
    record.detail = { provenance_verified: true, bundle_digests: result.bundleDigests };
    const facts = toProvenanceFacts(req.digest, result);
    if (!facts) return { id: null, identity: result.identity, facts: null };
    const id = keepEvidence(leash, evidence, record, cap, facts);
    return { id, identity: result.identity, facts };
  });
}

/** Signs the verified facts and stages them as the capability repository's evidence for the digest. */
function keepEvidence(
  leash: Leash,
  evidence: AttestationRow[],
  record: DraftRecord,
  cap: Capability,
  facts: ProvenanceFacts,
): string {
  const subject = { digest: facts.digest };
  const { id } = stageSignedStatement(leash, evidence, {
    statement: toEvidenceStatement(subject, facts, toProducer(cap, record.decision_id)),
    facts,
    zone: cap.zone,
    repositoryId: cap.job.repositoryId,
    subject,
    decisionId: record.decision_id,
  });
  record.evidence = [{ id, kind: "provenance", zone: cap.zone, digest: facts.digest }];
  return id;
}

/** The first selected bundle's identity as facts; none when it names no repository or commit (npm publish attestations). */
export function toProvenanceFacts(
  digest: string,
  result: VerificationResult,
): ProvenanceFacts | null {
  const id = result.identity.find((i) => i.sourceRepository && i.commit);
  if (!id?.sourceRepository || !id.commit) return null;
  return {
    kind: "provenance",
    digest,
    sourceRepository: toRepositoryPath(id.sourceRepository),
    ...(id.sourceRepositoryId ? { sourceRepositoryId: id.sourceRepositoryId } : {}),
    commit: id.commit,
    builderId: id.builderId ?? "",
    verifiedBy: id.signer === "leash-key" ? "leash" : "sigstore",
  };
}

/** `https://github.com/owner/name` → `owner/name`, the form capabilities carry. */
function toRepositoryPath(uri: string): string {
  try {
    return new URL(uri).pathname.replace(/^\/+|\/+$/g, "").replace(/\.git$/, "");
  } catch {
    return uri;
  }
}

/** The bundles, whichever way the file held them. Throws ERR_PROVENANCE_MALFORMED. */
function toBundles(value: unknown): SigstoreBundleJSON[] {
  if (typeof value === "string") return parseBundleFile(value);
  if (Array.isArray(value)) return parseBundleFile(value.map((v) => JSON.stringify(v)).join("\n"));
  return parseBundleFile(JSON.stringify(value));
}

/** `sha256:<hex>` → the verifier's digest (validated there: ERR_PROVENANCE_MALFORMED). */
export function toArtifactDigest(digest: string): ArtifactDigest {
  const [algorithm, hex] = digest.split(":");
  return { algorithm: algorithm as ArtifactDigest["algorithm"], hex: hex ?? "" };
}
