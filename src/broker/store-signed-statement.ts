import { createId } from "../encoding/index.js";
import type { EvidenceFacts } from "../evidence/index.js";
import { type DsseEnvelope, type InTotoStatement, signStatement } from "../provenance/index.js";
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
 * Signs an in-toto statement with leash's current key (DSSE) and keeps it as an attestation
 * row: the one way evidence enters the store, so every row is something `resolveEvidence`
 * can re-verify. Returns the new attestation id and the envelope.
 */
export async function storeSignedStatement(
  leash: Leash,
  row: SignedStatementRow,
): Promise<{ id: string; envelope: DsseEnvelope }> {
  const id = createId("att");
  const envelope = signStatement(row.statement, leash.keyRing.dsseSigner());
  await leash.store.insertAttestation({
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
