import type { Capability } from "../capability/index.js";
import type { EvidenceFacts } from "../evidence/index.js";
import type { InTotoStatement } from "../provenance/index.js";

/** Predicate types leash signs, by fact kind; standard in-toto ones where they exist. */
export const PREDICATE_TYPES: Readonly<Record<EvidenceFacts["kind"], string>> = {
  "test-result": "https://in-toto.io/attestation/test-result/v0.1",
  "vulnerability-scan": "https://in-toto.io/attestation/vulns/v0.2",
  "lockfile-diff": "https://leash.dev/attestation/lockfile-diff/v0.1",
  "terraform-plan": "https://leash.dev/attestation/terraform-plan/v0.1",
  "drift-check": "https://leash.dev/attestation/drift-check/v0.1",
  approval: "https://leash.dev/attestation/approval/v0.1",
  provenance: "https://leash.dev/attestation/provenance-verified/v0.1",
};

/** Who produced an attestation: the zone that vouches for it is what policy weighs. */
export interface Producer {
  zone: string;
  repository: string;
  repository_id: string;
  run_id: string;
  capability_id: string;
  decision_id: string;
}

export type Subject = { sha: string; digest?: undefined } | { digest: string; sha?: undefined };

/** The in-toto Statement v1 leash signs for parsed evidence: subject, facts, producer. */
export function toEvidenceStatement(
  subject: Subject,
  facts: EvidenceFacts,
  producer: Producer,
): InTotoStatement {
  const statementSubject = toStatementSubject(subject);
  return {
    _type: "https://in-toto.io/Statement/v1",
    subject: [statementSubject],
    predicateType: PREDICATE_TYPES[facts.kind],
    predicate: { ...testResultFields(facts), producer, facts },
  };
}

/** A commit as `{ gitCommit }`, an artifact as `{ sha256 }` (in-toto digest sets). */
function toStatementSubject(subject: Subject): { name: string; digest: Record<string, string> } {
  if (subject.sha !== undefined)
    return { name: `git+commit:${subject.sha}`, digest: { gitCommit: subject.sha } };
  const [alg, hex] = subject.digest.split(":") as [string, string];
  return { name: subject.digest, digest: { [alg]: hex } };
}

/** The test-result predicate's own fields, so in-toto tooling reads a leash test attestation. */
function testResultFields(facts: EvidenceFacts): Record<string, unknown> {
  if (facts.kind !== "test-result") return {};
  return {
    result: facts.ok ? "PASSED" : "FAILED",
    configuration: [],
    passedTests: [],
    failedTests: [],
    warnedTests: [],
  };
}

/** The producer block for a capability. */
export function toProducer(cap: Capability, decisionId: string): Producer {
  return {
    zone: cap.zone,
    repository: cap.job.repository,
    repository_id: cap.job.repositoryId,
    run_id: cap.job.runId,
    capability_id: cap.id,
    decision_id: decisionId,
  };
}
