import type { Capability } from "../capability/index.js";
import type { ProvenanceFacts } from "../evidence/index.js";
import {
  createSlsaProvenance,
  type DsseEnvelope,
  type InTotoStatement,
  type LeashSigstoreBundle,
  type ProvenanceArtifact,
  type ProvenanceJob,
  toSigstoreBundle,
} from "../provenance/index.js";
import { toProducer } from "./attestation-statement.js";
import { authenticateCapability } from "./authenticate-capability.js";
import {
  type AuthorizeAnswer,
  applyMode,
  type Caller,
  noteEvidence,
  noteShadow,
  toPrincipal,
  toRecordPrincipal,
} from "./authorize-action.js";
import type { Leash } from "./leash.js";
import { promotionError } from "./promotion-errors.js";
import { type Decided, type DraftRecord, recordDecision, startRecord } from "./record-decision.js";
import { resolveEvidence } from "./resolve-evidence.js";
import { stageSignedStatement } from "./stage-signed-statement.js";

/** The artifact to vouch for, by digest (`sha256:<hex>` or `sha512:<hex>`), with an optional name. */
export interface ProvenanceRequest {
  artifact: ProvenanceArtifact;
}

/** Signed provenance; or, in observe mode when the policy would deny, the reasons and nothing signed. */
export type ProvenanceResult =
  | { signed: true; id: string; envelope: DsseEnvelope; bundle: LeashSigstoreBundle }
  | { signed: false; answer: AuthorizeAnswer };

const GITHUB_ACTIONS_ISSUER = "https://token.actions.githubusercontent.com";

/**
 * Producing provenance: authenticate the publishing capability, decide `artifact.publish` on
 * the evidence for its commit (mode applies, as for authorize), and on allow sign a SLSA v1
 * statement built from the job and store it as `provenance` evidence that deploy decisions
 * find by digest. A deny is ERR_PUBLISH_DENIED (403) with the policy's reasons; nothing is signed.
 * In observe mode a would-be deny is let through unsigned: a signature is forever and
 * carries no mode, so any consumer verifying leash's key (admission, cosign, a registry
 * policy) would take provenance of an untested commit at its word.
 */
export async function attestProvenance(
  leash: Leash,
  caller: Caller,
  req: ProvenanceRequest,
): Promise<Decided<ProvenanceResult>> {
  const record = startRecord(leash, "attest");
  const { digest } = req.artifact;
  record.action = "artifact.publish";
  record.resource = { type: "Artifact", id: digest, ...nameOf(req.artifact) };
  record.artifacts = [digest];
  return recordDecision(leash, record, async (evidence) => {
    const cap = await authenticateCapability(leash, caller.token, caller.dpop);
    record.principal = toRecordPrincipal(cap);
    const answer = await decidePublish(leash, record, cap, digest);
    if (answer.decision === "deny") {
      const reason = answer.reasons[0];
      throw promotionError(
        "ERR_PUBLISH_DENIED",
        `artifact.publish denied: ${reason ? `${reason.code}: ${reason.message}` : "denied by policy"}`,
        { reasons: answer.reasons, policies: answer.policies },
      );
    }
    if (answer.wouldDeny) {
      record.detail = { ...record.detail, provenance_signed: false };
      return { signed: false, answer };
    }
    const statement = toLeashProvenance(leash, cap, req.artifact, record.decision_id);
    const { id, envelope } = stageSignedStatement(leash, evidence, {
      statement,
      facts: (statement.predicate as { facts: ProvenanceFacts }).facts,
      zone: cap.zone,
      repositoryId: cap.job.repositoryId,
      subject: { digest },
      decisionId: record.decision_id,
    });
    record.detail = { ...record.detail, attestation_id: id };
    const keyid = envelope.signatures[0]?.keyid ?? "";
    return { signed: true, id, envelope, bundle: toSigstoreBundle(envelope, keyid) };
  });
}

/** `artifact.publish` on the Artifact, with the evidence for the job's commit; mode applies. */
async function decidePublish(
  leash: Leash,
  record: DraftRecord,
  cap: Capability,
  digest: string,
): Promise<AuthorizeAnswer> {
  const evidence = await resolveEvidence(leash, cap, [], [{ sha: cap.job.sha }]);
  noteEvidence(record, evidence, {});
  const request = {
    principal: toPrincipal(cap),
    action: "artifact.publish",
    resource: { type: "Artifact" as const, id: digest, attrs: {} },
    context: {},
    evidence,
  };
  const decision = leash.policy.active.evaluate(request);
  noteShadow(leash, record, request, decision);
  return applyMode(leash, record, "artifact.publish", decision);
}

/**
 * The SLSA v1 statement for the job, its predicate also carrying leash's `producer` and
 * `facts` (in-toto consumers ignore fields they don't know), so one signed statement is both
 * the provenance handed out and the evidence deploy decisions read.
 */
function toLeashProvenance(
  leash: Leash,
  cap: Capability,
  artifact: ProvenanceArtifact,
  decisionId: string,
): InTotoStatement {
  const job = toProvenanceJob(leash, cap);
  const slsa = createSlsaProvenance(job, artifact, {
    startedOn: new Date(leash.clock.now()).toISOString(),
  });
  const facts: ProvenanceFacts = {
    kind: "provenance",
    digest: artifact.digest,
    sourceRepository: cap.job.repository,
    sourceRepositoryId: cap.job.repositoryId,
    commit: cap.job.sha,
    builderId: job.builderId,
    verifiedBy: "leash",
  };
  const predicate = { ...(slsa.predicate as object), producer: toProducer(cap, decisionId), facts };
  return { ...slsa, predicate };
}

/** The job as provenance records it; the builder id names leash and the workflow that ran. */
function toProvenanceJob(leash: Leash, cap: Capability): ProvenanceJob {
  const j = cap.job;
  return {
    issuer: j.issuer,
    repository: j.repository,
    repositoryId: j.repositoryId,
    ownerId: j.ownerId,
    ref: j.ref,
    sha: j.sha,
    workflowRef: j.workflowRef,
    jobWorkflowRef: j.jobWorkflowRef,
    runId: j.runId,
    runAttempt: j.runAttempt,
    runnerEnvironment: j.runnerEnvironment,
    builderId: `${leash.issuer}/builder/${j.jobWorkflowRef}`,
    serverUrl: toServerUrl(leash, j.issuer),
  };
}

/** Where the repository lives: github.com for GitHub Actions, the issuer's origin for GitLab. */
function toServerUrl(leash: Leash, issuer: string): string {
  if (issuer.startsWith(GITHUB_ACTIONS_ISSUER)) return "https://github.com";
  const configured = leash.config.issuers.find((i) => i.url === issuer);
  return configured?.provider === "gitlab" ? new URL(issuer).origin : "https://github.com";
}

function nameOf(artifact: ProvenanceArtifact): { name?: string } {
  return artifact.name === undefined ? {} : { name: artifact.name };
}
