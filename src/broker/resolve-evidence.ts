import type { Capability } from "../capability/index.js";
import { LeashError } from "../errors/index.js";
import type { EvidenceFacts, EvidenceItem, EvidenceKind } from "../evidence/index.js";
import { parseEvidence } from "../evidence/index.js";
import { verifyEnvelope } from "../provenance/index.js";
import type { AttestationRow } from "../store/index.js";
import type { Subject } from "./attestation-statement.js";
import { brokerError } from "./broker-errors.js";
import type { Leash } from "./leash.js";

/** Evidence as a caller names it: a leash attestation by id, or inline (self-reported) input. */
export type EvidenceRef =
  | { kind: "attestation"; id: string }
  | {
      kind: "inline";
      evidenceKind: EvidenceKind;
      subject: Subject;
      /** The stack a plan or drift check describes; absent: the repository's own. */
      stack?: string | undefined;
      content: unknown;
    };

const MAX_CACHED = 10_000;
/** Verified attestations by id: they are immutable, so a signature is checked once per process. */
const verified = new Map<string, EvidenceItem>();

/**
 * Turns evidence references, plus every attestation of the capability's repository about the
 * given subjects (its commit, the artifact's digest) and its approvals, into verified items.
 * Each stored attestation is re-verified against leash's keys before it counts: a row edited
 * in the database is not evidence. Inline evidence is parsed and marked self-reported.
 */
export async function resolveEvidence(
  leash: Leash,
  cap: Capability,
  refs: readonly EvidenceRef[],
  subjects: readonly Subject[],
): Promise<EvidenceItem[]> {
  const rows = new Map<string, AttestationRow>();
  for (const ref of refs) {
    if (ref.kind !== "attestation") continue;
    const row = await leash.store.getAttestation(ref.id);
    if (!row || row.repositoryId !== cap.job.repositoryId) {
      throw brokerError(
        "ERR_AUTHORIZE_EVIDENCE_NOT_FOUND",
        `no attestation ${ref.id} exists for this repository; attest it first with leash attest`,
        { evidence: ref.id },
      );
    }
    rows.set(row.id, row);
  }
  for (const row of await findBySubject(leash, cap, subjects)) rows.set(row.id, row);
  const items = [...rows.values()].map((row) => toVerifiedItem(leash, row));
  items.push(...(await findByProvenanceCommits(leash, cap, items, rows)));
  for (const ref of refs) if (ref.kind === "inline") items.push(toInlineItem(cap, ref));
  return items;
}

/**
 * Most attestations about the subjects of one decision that leash reads. Past it the
 * decision is refused, never made on the newest part: an agent that can attest about its
 * commit could otherwise push an older blocking finding out of view with harmless rows.
 */
export const MAX_EVIDENCE_ROWS = 200;

async function findBySubject(
  leash: Leash,
  cap: Capability,
  subjects: readonly Subject[],
): Promise<AttestationRow[]> {
  const shas = subjects.flatMap((s) => (s.sha ? [s.sha] : []));
  const digests = subjects.flatMap((s) => (s.digest ? [s.digest] : []));
  // One round trip: on PostgreSQL each query is a network hop on the decision path.
  return findAbout(leash, cap, { shas, digests, kinds: ["approval"] });
}

/** The repository's attestations about these subjects (and of these kinds); refused past the limit. */
async function findAbout(
  leash: Leash,
  cap: Capability,
  match: { shas: string[]; digests: string[]; kinds: string[] },
): Promise<AttestationRow[]> {
  const found = await leash.store.findEvidenceAttestations(cap.job.repositoryId, {
    ...match,
    limit: MAX_EVIDENCE_ROWS,
  });
  if (found.truncated) throw tooMany([...match.shas, ...match.digests]);
  return found.rows;
}

/**
 * A deploy's tests are those of the commit its artifact's provenance names, which need not
 * be the deploying job's own commit: follow each verified provenance item to its commit.
 */
async function findByProvenanceCommits(
  leash: Leash,
  cap: Capability,
  items: readonly EvidenceItem[],
  seen: ReadonlyMap<string, AttestationRow>,
): Promise<EvidenceItem[]> {
  const commits = new Set<string>();
  for (const item of items) if (item.facts.kind === "provenance") commits.add(item.facts.commit);
  if (commits.size === 0) return [];
  const rows = await findAbout(leash, cap, { shas: [...commits], digests: [], kinds: [] });
  return rows.filter((row) => !seen.has(row.id)).map((row) => toVerifiedItem(leash, row));
}

function tooMany(subjects: readonly string[]): Error {
  const named = subjects.join(", ");
  return brokerError(
    "ERR_AUTHORIZE_EVIDENCE_TOO_MANY",
    `more than ${MAX_EVIDENCE_ROWS} attestations exist about ${named}; leash does not decide on part of the evidence. Attest a new commit, or have an operator remove the surplus attestations (the audit log names who minted them)`,
    { subjects: [...subjects], limit: MAX_EVIDENCE_ROWS },
  );
}

/**
 * Re-verifies one stored attestation against leash's keys (current and past) and turns it
 * into an evidence item; cached by id. Throws ERR_AUTHORIZE_EVIDENCE_INVALID for a row
 * whose envelope does not verify or does not match the row.
 */
export function toVerifiedItem(leash: Leash, row: AttestationRow): EvidenceItem {
  const cached = verified.get(row.id);
  if (cached) return cached;
  let item: EvidenceItem;
  try {
    const statement = verifyEnvelope(
      JSON.parse(row.envelope),
      leash.keyRing.allPublicKeys().map((k) => ({ keyid: k.kid, publicKey: k.publicKey })),
    );
    const predicate = statement.predicate as {
      producer?: { zone?: string; repository_id?: string };
      facts?: EvidenceFacts;
    };
    if (!predicate.facts || predicate.producer?.repository_id !== row.repositoryId)
      throw new Error("predicate does not match its row");
    const digest = statement.subject[0]?.digest ?? {};
    // The statement parser lowercases digest algorithm names (in-toto's `gitCommit`).
    const sha = digest["gitcommit"] ?? digest["gitCommit"];
    const sha256 = digest["sha256"];
    item = {
      id: row.id,
      zone: predicate.producer.zone ?? "",
      repositoryId: row.repositoryId,
      selfReported: false,
      subject: sha ? { sha } : sha256 ? { digest: `sha256:${sha256}` } : {},
      facts: predicate.facts,
    };
  } catch (err) {
    if (err instanceof LeashError || err instanceof Error) {
      throw brokerError(
        "ERR_AUTHORIZE_EVIDENCE_INVALID",
        `attestation ${row.id} does not verify against leash's keys; it was altered after signing`,
        { evidence: row.id },
      );
    }
    throw err;
  }
  if (verified.size >= MAX_CACHED) verified.delete(verified.keys().next().value as string);
  verified.set(row.id, item);
  return item;
}

function toInlineItem(
  cap: Capability,
  ref: Extract<EvidenceRef, { kind: "inline" }>,
): EvidenceItem {
  return {
    id: "inline",
    zone: "",
    repositoryId: cap.job.repositoryId,
    selfReported: true,
    subject: ref.subject.sha ? { sha: ref.subject.sha } : { digest: ref.subject.digest as string },
    facts: parseEvidence(ref.evidenceKind, ref.content, {
      stack: ref.stack,
      repository: cap.job.repository,
    }),
  };
}
