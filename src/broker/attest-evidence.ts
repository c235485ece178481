import type { Capability } from "../capability/index.js";
import { type EvidenceKind, parseEvidence } from "../evidence/index.js";
import type { DsseEnvelope } from "../provenance/index.js";
import { type Subject, toEvidenceStatement, toProducer } from "./attestation-statement.js";
import { authenticateCapability } from "./authenticate-capability.js";
import type { Caller } from "./authorize-action.js";
import { toPrincipal, toRecordPrincipal } from "./authorize-action.js";
import { brokerError } from "./broker-errors.js";
import type { Leash } from "./leash.js";
import { type Decided, type DraftRecord, recordDecision, startRecord } from "./record-decision.js";
import { stageSignedStatement } from "./stage-signed-statement.js";

/** Which action attests which kind: validation vouches for tests and scans, editing for its own changes. */
const ATTEST_ACTION: Readonly<Record<EvidenceKind, string>> = {
  junit: "test.attest",
  "npm-audit": "scan.attest",
  osv: "scan.attest",
  "lockfile-diff": "change.attest",
  "terraform-plan": "change.attest",
  "drift-check": "change.attest",
};

export interface AttestRequest {
  kind: EvidenceKind;
  subject: Subject;
  /** The stack a terraform-plan or drift-check describes; absent: the repository's own. */
  stack?: string | undefined;
  content: unknown;
}

export interface AttestResult {
  id: string;
  envelope: DsseEnvelope;
}

/**
 * Attestation: a capability submits raw CI output; leash decides whether its zone may vouch
 * for that kind, parses the input into facts, signs an in-toto statement naming the producing
 * zone, repository and run (and, for a plan or drift check, the stack it describes), and
 * stores it. Malformed input is refused and nothing is stored.
 */
export async function attestEvidence(
  leash: Leash,
  caller: Caller,
  req: AttestRequest,
): Promise<Decided<AttestResult>> {
  const record = startRecord(leash, "attest");
  const action = ATTEST_ACTION[req.kind];
  record.action = action;
  record.resource = { type: "Evidence", kind: req.kind, ...req.subject };
  return recordDecision(leash, record, async (evidence) => {
    const cap = await authenticateCapability(leash, caller.token, caller.dpop);
    record.principal = toRecordPrincipal(cap);
    decideAttest(leash, record, cap, action);
    const facts = parseEvidence(req.kind, req.content, {
      stack: req.stack,
      repository: cap.job.repository,
    });
    if (facts.kind === "terraform-plan" || facts.kind === "drift-check")
      record.resource = { ...record.resource, stack: facts.stack };
    const { id, envelope } = stageSignedStatement(leash, evidence, {
      statement: toEvidenceStatement(req.subject, facts, toProducer(cap, record.decision_id)),
      facts,
      zone: cap.zone,
      repositoryId: cap.job.repositoryId,
      subject: req.subject,
      decisionId: record.decision_id,
    });
    record.result = "allow";
    record.evidence = [{ id, kind: facts.kind, zone: cap.zone }];
    return { id, envelope };
  });
}

/** The attest action goes through policy like any other (the pack checks the grant and repository). */
function decideAttest(leash: Leash, record: DraftRecord, cap: Capability, action: string): void {
  const decision = leash.policy.active.evaluate({
    principal: toPrincipal(cap),
    action,
    resource: {
      type: "Repository",
      id: cap.job.repository,
      attrs: { repository_id: cap.job.repositoryId },
    },
    context: {},
    evidence: [],
  });
  record.policies = decision.policies;
  record.policy_set_digest = decision.policySetDigest;
  if (decision.decision === "deny") {
    const reason = decision.reasons[0];
    throw brokerError(
      "ERR_ATTEST_KIND_NOT_ALLOWED",
      `zone ${cap.zone} may not attest this kind (${action}): ${reason?.message ?? "denied by policy"}`,
      { reason: reason?.code },
    );
  }
}
