import type { ApprovalFacts } from "../evidence/index.js";
import type { DsseEnvelope } from "../provenance/index.js";
import { type Producer, type Subject, toEvidenceStatement } from "./attestation-statement.js";
import type { Leash } from "./leash.js";
import { promotionError } from "./promotion-errors.js";
import { type Decided, recordDecision, startRecord } from "./record-decision.js";
import { stageSignedStatement } from "./stage-signed-statement.js";

/** One person's approval of one action on one resource, pinned to a digest or a commit. */
export interface ApprovalRequest {
  action: string;
  resource: { type: string; id: string };
  repositoryId: string;
  environment?: string;
  digest?: string;
  sha?: string;
  approver: string;
  expiresInSeconds: number;
}

export interface ApprovalResult {
  id: string;
  envelope: DsseEnvelope;
  expiresAtMs: number;
}

/** An approval outliving a release cycle is a standing permission, which leash exists to avoid. */
export const MAX_APPROVAL_SECONDS = 7 * 24 * 3600;

/**
 * Records an approval as evidence: signed by leash, zone "admin", kept for the repository.
 * The caller (the edge) has already checked the admin token; an agent's capability never
 * reaches here. Throws ERR_APPROVAL_INVALID when it names neither digest nor sha, or its
 * expiry is out of range.
 */
export async function approveAction(
  leash: Leash,
  req: ApprovalRequest,
): Promise<Decided<ApprovalResult>> {
  const record = startRecord(leash, "approve");
  record.action = req.action;
  record.resource = { type: req.resource.type, id: req.resource.id };
  record.principal = { zone: "admin", approver: req.approver };
  return recordDecision(leash, record, async (evidence) => {
    const subject = toSubject(req);
    const expiresAtMs = leash.clock.now() + checkExpiry(req.expiresInSeconds) * 1000;
    const facts = toApprovalFacts(req, expiresAtMs);
    const { id, envelope } = stageSignedStatement(leash, evidence, {
      statement: toEvidenceStatement(subject, facts, toAdminProducer(leash, req, record)),
      facts,
      zone: "admin",
      repositoryId: req.repositoryId,
      subject: { sha: req.sha, digest: req.digest },
      decisionId: record.decision_id,
    });
    record.result = "allow";
    record.evidence = [{ id, kind: "approval", zone: "admin" }];
    record.detail = { repository_id: req.repositoryId, expires_at_ms: expiresAtMs };
    if (req.digest) record.artifacts = [req.digest];
    return { id, envelope, expiresAtMs };
  });
}

/** An approval names what it approves exactly: a digest (artifacts) or a commit (changes). */
function toSubject(req: ApprovalRequest): Subject {
  if (req.action === "deploy" && !req.digest) {
    // A deploy gate counts only approvals naming the artifact digest; say so now, not at deploy.
    throw promotionError(
      "ERR_APPROVAL_INVALID",
      "a deploy approval names the artifact digest it approves (--digest sha256:<hex>); a commit sha does not pin what is deployed",
    );
  }
  if (req.digest) return { digest: req.digest };
  if (req.sha) return { sha: req.sha };
  throw promotionError(
    "ERR_APPROVAL_INVALID",
    "an approval names the digest (artifacts, deploys) or the sha (changes) it approves",
  );
}

function checkExpiry(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds <= 0 || seconds > MAX_APPROVAL_SECONDS) {
    throw promotionError(
      "ERR_APPROVAL_INVALID",
      `expires_in must be between 1s and ${MAX_APPROVAL_SECONDS / 86400}d (e.g. 1h)`,
    );
  }
  return seconds;
}

function toApprovalFacts(req: ApprovalRequest, expiresAtMs: number): ApprovalFacts {
  return {
    kind: "approval",
    action: req.action,
    resourceType: req.resource.type,
    resourceId: req.resource.id,
    ...(req.environment ? { environment: req.environment } : {}),
    ...(req.digest ? { digest: req.digest } : {}),
    ...(req.sha ? { sha: req.sha } : {}),
    approver: req.approver,
    expiresAtMs,
  };
}

/** Approvals come from no CI job: the producer is the admin zone, for the named repository. */
function toAdminProducer(
  leash: Leash,
  req: ApprovalRequest,
  record: { decision_id: string },
): Producer {
  const repository = leash.config.repositories.find((r) => r.id === req.repositoryId)?.name ?? "";
  return {
    zone: "admin",
    repository,
    repository_id: req.repositoryId,
    run_id: "",
    capability_id: "",
    decision_id: record.decision_id,
  };
}
