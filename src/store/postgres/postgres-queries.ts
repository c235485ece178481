import type { AttestationQuery, DecisionQuery, EvidenceMatch } from "../store.js";

/** SQL text of the PostgreSQL store, one place to read it all. */
const DECISION_COLUMNS = `chain, seq, decision_id, time_ms, type, result, action, repository_id,
  capability_id, body, prev_hash, hash`;
const DECISION_ARRAYS = `unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[], $5::text[],
  $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])`;

export const SQL = {
  listKeys: "SELECT * FROM signing_keys ORDER BY created_ms, kid",
  // Serializes rotations across instances: without it two concurrent rotations could each
  // retire only the keys they saw and leave two current keys.
  lockKeys: "LOCK TABLE signing_keys IN SHARE ROW EXCLUSIVE MODE",
  retireKeys: "UPDATE signing_keys SET retired_ms = $1 WHERE retired_ms IS NULL",
  insertKey: `INSERT INTO signing_keys (kid, alg, public_jwk, private_sealed, created_ms, retired_ms)
    VALUES ($1, $2, $3, $4, $5, $6)`,
  notify: "SELECT pg_notify($1, '')",
  pruneReplay: "DELETE FROM replay WHERE expires_ms < $1",
  // One statement, atomic across instances: a new key is inserted; an expired one is taken
  // over; a live one is left alone and returns no row (a replay).
  claim: `INSERT INTO replay (key, expires_ms) VALUES ($1, $2)
    ON CONFLICT (key) DO UPDATE SET expires_ms = EXCLUDED.expires_ms
    WHERE replay.expires_ms < $3 RETURNING key`,
  // The NOTIFY is sent when the insert commits, never for a revocation that did not land.
  insertRevocation: `WITH r AS (
      INSERT INTO revocations (kind, value, revoked_ms, reason) VALUES ($1, $2, $3, $4)
    ) SELECT pg_notify($5, '')`,
  findRevocations: `SELECT kind, value, revoked_ms, reason FROM revocations
    WHERE (kind = 'capability' AND value = $1) OR (kind = 'run' AND value = $2)
       OR (kind = 'repository' AND value = $3) OR (kind = 'subject' AND value = $4)
    ORDER BY id`,
  // One statement over parallel arrays: a whole batch commits or none of it does, and the
  // batch size is not limited by the number of bind parameters.
  appendDecisions: `INSERT INTO decisions (${DECISION_COLUMNS}) SELECT * FROM ${DECISION_ARRAYS}`,
  // The same, with the attestations the batch's decisions produced: one statement, so the
  // evidence commits with its records or not at all.
  appendDecisionsWithAttestations: `WITH d AS (
      INSERT INTO decisions (${DECISION_COLUMNS}) SELECT * FROM ${DECISION_ARRAYS}
    ) INSERT INTO attestations (id, kind, zone, repository_id, subject_sha, subject_digest,
      envelope, facts, created_ms, decision_id)
    SELECT * FROM unnest($13::text[], $14::text[], $15::text[], $16::text[], $17::text[],
      $18::text[], $19::text[], $20::text[], $21::bigint[], $22::text[])`,
  lastDecision: "SELECT * FROM decisions WHERE chain = $1 ORDER BY seq DESC LIMIT 1",
  getDecision: "SELECT * FROM decisions WHERE decision_id = $1",
  // Skips from chain to chain through the primary key instead of scanning every record. A
  // chain with checkpoints but no records left is listed too: its truncation must show.
  listChains: `WITH RECURSIVE c AS (
      (SELECT chain FROM decisions ORDER BY chain LIMIT 1)
      UNION ALL
      SELECT (SELECT d.chain FROM decisions d WHERE d.chain > c.chain ORDER BY d.chain LIMIT 1)
      FROM c WHERE c.chain IS NOT NULL
    ) SELECT chain FROM c WHERE chain IS NOT NULL
    UNION SELECT chain FROM checkpoints ORDER BY chain`,
  insertCheckpoint: `INSERT INTO checkpoints (chain, seq, hash, time_ms, kid, signature)
    VALUES ($1, $2, $3, $4, $5, $6)`,
  listCheckpoints: "SELECT * FROM checkpoints WHERE chain = $1 ORDER BY seq",
  lastCheckpoint: "SELECT * FROM checkpoints WHERE chain = $1 ORDER BY seq DESC LIMIT 1",
  // One statement, so both deletes commit together.
  pruneChain: `WITH d AS (DELETE FROM decisions WHERE chain = $1 AND seq <= $2 RETURNING 1),
      c AS (DELETE FROM checkpoints WHERE chain = $1 AND seq < $2 RETURNING 1)
    SELECT (SELECT count(*) FROM d)::int AS decisions, (SELECT count(*) FROM c)::int AS checkpoints`,
  getAttestation: "SELECT * FROM attestations WHERE id = $1",
} as const;

/** A parameterized statement. */
export interface Statement {
  text: string;
  values: unknown[];
}

/** The decision query, filters as bind parameters; same order and limits as SQLite. */
export function toDecisionQuery(q: DecisionQuery): Statement {
  const where: string[] = [];
  const values: unknown[] = [];
  const add = (column: string, op: string, v: unknown) => {
    if (v === undefined) return;
    values.push(v);
    where.push(`${column} ${op} $${values.length}`);
  };
  add("chain", "=", q.chain);
  add("time_ms", ">=", q.sinceMs);
  add("time_ms", "<", q.untilMs);
  add("type", "=", q.type);
  add("result", "=", q.result);
  add("action", "=", q.action);
  add("repository_id", "=", q.repositoryId);
  add("capability_id", "=", q.capabilityId);
  add("seq", ">", q.afterSeq);
  const asked = q.limit !== undefined && Number.isFinite(q.limit) ? Math.trunc(q.limit) : 1000;
  const limit = Math.max(1, Math.min(asked, 100_000));
  const text = `SELECT * FROM decisions ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
    ORDER BY chain, seq LIMIT ${limit}`;
  return { text, values };
}

/** The attestation query: always scoped to one repository id, newest first, at most 100. */
export function toAttestationQuery(q: AttestationQuery): Statement {
  const where = ["repository_id = $1"];
  const values: unknown[] = [q.repositoryId];
  const add = (sql: string, v: unknown) => {
    values.push(v);
    where.push(sql.replace("?", `$${values.length}`));
  };
  if (q.sha !== undefined) add("subject_sha = ?", q.sha);
  if (q.digest !== undefined) add("subject_digest = ?", q.digest);
  if (q.kinds && q.kinds.length > 0) add("kind = ANY(?::text[])", [...q.kinds]);
  return {
    text: `SELECT * FROM attestations WHERE ${where.join(" AND ")} ORDER BY created_ms DESC LIMIT 100`,
    values,
  };
}

/** Attestations of one repository about any of the shas or digests, and of the kinds (one round trip). */
export function toEvidenceQuery(repositoryId: string, m: EvidenceMatch): Statement {
  // Two parts with their own limits: an agent can mint attestations about its commit, never
  // approvals, so only the first part can be flooded (and is reported as truncated). The
  // first needs no order: past its limit the decision is refused (toEvidenceRows sorts).
  return {
    text: `(SELECT *, 0 AS part FROM attestations WHERE repository_id = $1
        AND (subject_sha = ANY($2::text[]) OR subject_digest = ANY($3::text[]))
        LIMIT $5)
      UNION ALL
      (SELECT *, 1 AS part FROM attestations WHERE repository_id = $1 AND kind = ANY($4::text[])
        ORDER BY created_ms DESC LIMIT $6)`,
    values: [repositoryId, [...m.shas], [...m.digests], [...m.kinds], m.limit + 1, m.limit],
  };
}
