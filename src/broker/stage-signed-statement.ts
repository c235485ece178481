import { createId } from "../encoding/index.js";
import type { EvidenceFacts } from "../evidence/index.js";
import { type DsseEnvelope, type InTotoStatement, signStatement } from "../provenance/index.js";
import type { AttestationRow } from "../store/index.js";
import type { Leash } from "./leash.js";

export interface SignedStatementRow {
  statement: InTotoStatement;
  facts: EvidenceFacts;
  /** Who vouches: a capability's zone, or "admin" for approvals. */
  zone: string;
  repositoryId: string;
  subject: { sha?: string | undefined; digest?: string | undefined };
  decisionId: string;
}

/**
 * Signs an in-toto statement with leash's current key (DSSE) and stages it as an attestation
 * row in `evidence`, the list recordDecision stores with the decision's record: the one way
 * evidence enters the store, so every row is something `resolveEvidence` can re-verify and
 * none exists without its decision on record. Returns the new attestation id and envelope.
 */
export function stageSignedStatement(
  leash: Leash,
  evidence: AttestationRow[],
  row: SignedStatementRow,
): { id: string; envelope: DsseEnvelope } {
  const id = createId("att");
  const envelope = signStatement(row.statement, leash.keyRing.dsseSigner());
  evidence.push({
    id,
    kind: row.facts.kind,
    zone: row.zone,
    repositoryId: row.repositoryId,
    subjectSha: row.subject.sha ?? null,
    subjectDigest: row.subject.digest ?? null,
    envelope: JSON.stringify(envelope),
    facts: JSON.stringify(row.facts),
    createdMs: leash.clock.now(),
    decisionId: row.decisionId,
  });
  return { id, envelope };
}
