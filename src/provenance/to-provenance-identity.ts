import type { AttestedStatement } from "./dsse-envelope.js";
import type { ProvenanceIdentity } from "./match-identity-policy.js";
import { isRecord } from "./parse-statement.js";
import type { CertificateIdentity } from "./to-certificate-identity.js";
import type { VerifiedBundle } from "./verify-bundle.js";
import { toPredicateClaims, verifyPredicateClaims } from "./verify-predicate-claims.js";

/**
 * The identity a verified bundle vouches for. Keyless: the certificate's, after checking the
 * predicate agrees with it (throws ERR_PROVENANCE_PREDICATE_MISMATCH); builder id from the
 * predicate. leash's own: the job leash recorded in the statement it signed. A registry-key
 * bundle (npm publish attestation) names no workload, so every identity field is absent.
 */
export function toProvenanceIdentity(verified: VerifiedBundle): ProvenanceIdentity {
  const { signer, statement } = verified;
  switch (signer.kind) {
    case "certificate":
      return toKeylessIdentity(signer.identity, statement);
    case "leash-key":
      return toLeashIdentity(statement);
    case "registry-key":
      return { ...NO_IDENTITY, signer: "registry-key", predicateType: statement.predicateType };
  }
}

const NO_IDENTITY = {
  issuer: undefined,
  sourceRepository: undefined,
  sourceRepositoryId: undefined,
  ownerId: undefined,
  sourceRef: undefined,
  commit: undefined,
  signerWorkflow: undefined,
  runnerEnvironment: undefined,
  builderId: undefined,
};

function toKeylessIdentity(cert: CertificateIdentity, st: AttestedStatement): ProvenanceIdentity {
  const claims = toPredicateClaims(st);
  verifyPredicateClaims(claims, cert);
  return {
    signer: "certificate",
    issuer: cert.issuer,
    sourceRepository: cert.sourceRepository,
    sourceRepositoryId: cert.sourceRepositoryId,
    ownerId: cert.ownerId,
    sourceRef: cert.sourceRef,
    commit: cert.commit,
    signerWorkflow: cert.signerWorkflow,
    runnerEnvironment: cert.runnerEnvironment,
    builderId: claims.builderId,
    predicateType: st.predicateType,
  };
}

/** leash vouched for the job when it signed; the statement's own fields are the identity. */
function toLeashIdentity(st: AttestedStatement): ProvenanceIdentity {
  const claims = toPredicateClaims(st);
  const leash = leashParameters(st.predicate);
  return {
    signer: "leash-key",
    issuer: text(leash["issuer"]),
    sourceRepository: claims.repository,
    sourceRepositoryId: text(leash["repository_id"]),
    ownerId: text(leash["repository_owner_id"]),
    sourceRef: claims.ref,
    commit: claims.commit,
    signerWorkflow: text(leash["build_signer_uri"]),
    runnerEnvironment: text(leash["runner_environment"]),
    builderId: claims.builderId,
    predicateType: st.predicateType,
  };
}

function leashParameters(predicate: unknown): Record<string, unknown> {
  const def = isRecord(predicate) ? predicate["buildDefinition"] : undefined;
  const internal = isRecord(def) ? def["internalParameters"] : undefined;
  const leash = isRecord(internal) ? internal["leash"] : undefined;
  return isRecord(leash) ? leash : {};
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}
