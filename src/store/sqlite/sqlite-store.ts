import { chmodSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { toAttestationRow, toCheckpointRow, toDecisionRow, toSigningKeyRow } from "../sql-rows.js";
import type {
  AttestationQuery,
  AttestationRow,
  CheckpointRow,
  DecisionQuery,
  DecisionRow,
  EvidenceMatch,
  EvidenceRows,
  RevocationProbe,
  RevocationRow,
  SigningKeyRow,
  Store,
} from "../store.js";
import { toEvidenceRows } from "../to-evidence-rows.js";
import { SQLITE_MIGRATIONS } from "./sqlite-migrations.js";
import { createSqliteSecretMethods } from "./sqlite-secrets.js";
import { startWalCheckpointer } from "./start-wal-checkpointer.js";
import { BUSY_TIMEOUT_MS, writeWithoutWaiting } from "./write-without-waiting.js";

/**
 * Opens (creating if needed) the embedded store at `path`, applying migrations.
 * WAL with synchronous=NORMAL: a committed transaction survives a killed process
 * (the WAL is in the OS before commit returns); only an OS crash can lose the last ones.
 */
export function openSqliteStore(path: string): Store {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
  // Sealed keys and decision records: readable by leash's user only (the WAL inherits the mode).
  if (path !== ":memory:") chmodSync(path, 0o600);
  db.pragma("journal_mode = WAL");
  configure(db);
  migrate(db);
  // The hot writes (decision records, replay claims) have a connection of their own that
  // never waits for the write lock (see write-without-waiting.ts). An in-memory database has
  // no other writer, and a second connection would open another database.
  const hot = path === ":memory:" ? db : configure(new Database(path, { timeout: 0 }));
  const checkpointer = path === ":memory:" ? undefined : startWalCheckpointer(path);
  const store = createSqliteStore(db, hot);
  return {
    ...store,
    async close() {
      await checkpointer?.stop();
      if (hot !== db) hot.close();
      await store.close();
    },
  };
}

/** Per-connection settings; journal_mode = WAL is the database's own and set once. */
function configure(db: Database.Database): Database.Database {
  // A committed transaction survives a killed process (the WAL is in the OS before commit
  // returns); only an OS crash can lose the last ones.
  db.pragma("synchronous = NORMAL");
  // Checkpoints run in a worker thread (wal-checkpoint-worker.ts), not on the request path.
  db.pragma("wal_autocheckpoint = 0");
  db.pragma("foreign_keys = ON");
  return db;
}

function migrate(db: Database.Database): void {
  const current = db.pragma("user_version", { simple: true }) as number;
  for (const m of SQLITE_MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
}

function createSqliteStore(db: Database.Database, hot: Database.Database): Store {
  const s = prepareStatements(db);
  const h = prepareHotStatements(hot);
  const appendMany = hot.transaction(
    (rows: readonly DecisionRow[], attestations: readonly AttestationRow[]) => {
      for (const r of rows) {
        h.insertDecision.run(
          r.chain,
          r.seq,
          r.decisionId,
          r.timeMs,
          r.type,
          r.result,
          r.action,
          r.repositoryId,
          r.capabilityId,
          r.body,
          r.prevHash,
          r.hash,
        );
      }
      for (const a of attestations) {
        h.insertAttestation.run(
          a.id,
          a.kind,
          a.zone,
          a.repositoryId,
          a.subjectSha,
          a.subjectDigest,
          a.envelope,
          a.facts,
          a.createdMs,
          a.decisionId,
        );
      }
    },
  );
  const prune = db.transaction((chain: string, throughSeq: number) => ({
    decisions: s.pruneDecisions.run(chain, throughSeq).changes,
    checkpoints: s.pruneCheckpoints.run(chain, throughSeq).changes,
  }));
  const rotate = db.transaction((k: SigningKeyRow) => {
    s.retireKeys.run(k.createdMs);
    s.insertKey.run(k.kid, k.alg, k.publicJwk, k.privateSealed, k.createdMs, k.retiredMs);
  });
  let lastPruneMs = 0;
  return {
    kind: "sqlite",
    close: async () => void db.close(),
    listSigningKeys: async () => s.listKeys.all().map(toSigningKeyRow),
    rotateSigningKey: async (k) => rotate.immediate(k),
    claimOnce: (key, expiresMs, nowMs) =>
      writeWithoutWaiting(() => {
        // Expired keys are swept at most once a minute, not on every claim.
        if (nowMs - lastPruneMs > 60_000) {
          h.pruneReplay.run(nowMs);
          lastPruneMs = nowMs;
        }
        return h.claim.run(key, expiresMs, nowMs).changes === 1;
      }),
    insertRevocation: async (r) =>
      void s.insertRevocation.run(r.kind, r.value, r.revokedMs, r.reason),
    findRevocations: async (p: RevocationProbe) =>
      s.findRevocations.all(p.capabilityId, p.run, p.repositoryId, p.subject) as RevocationRow[],
    appendDecisions: (rows, attestations = []) =>
      writeWithoutWaiting(() => appendMany.immediate(rows, attestations)),
    lastDecision: async (chain) => toDecisionRowOrUndefined(s.lastDecision.get(chain)),
    getDecision: async (id) => toDecisionRowOrUndefined(s.getDecision.get(id)),
    queryDecisions: async (q) => queryDecisions(db, q),
    listChains: async () => (s.listChains.all() as { chain: string }[]).map((r) => r.chain),
    insertCheckpoint: async (c: CheckpointRow) =>
      void s.insertCheckpoint.run(c.chain, c.seq, c.hash, c.timeMs, c.kid, c.signature),
    listCheckpoints: async (chain) => s.listCheckpoints.all(chain).map(toCheckpointRow),
    lastCheckpoint: async (chain) => {
      const row = s.lastCheckpoint.get(chain);
      return row ? toCheckpointRow(row) : undefined;
    },
    pruneChain: async (chain, throughSeq) => prune.immediate(chain, throughSeq),
    getAttestation: async (id) => {
      const row = s.getAttestation.get(id);
      return row ? toAttestationRow(row) : undefined;
    },
    findAttestations: async (q) => findAttestations(db, q),
    findEvidenceAttestations: async (repositoryId, m) =>
      findEvidenceAttestations(db, repositoryId, m),
    ...createSqliteSecretMethods(db),
  };
}

function prepareStatements(db: Database.Database) {
  return {
    listKeys: db.prepare("SELECT * FROM signing_keys ORDER BY created_ms"),
    retireKeys: db.prepare("UPDATE signing_keys SET retired_ms = ? WHERE retired_ms IS NULL"),
    insertKey: db.prepare("INSERT INTO signing_keys VALUES (?, ?, ?, ?, ?, ?)"),
    insertRevocation: db.prepare(
      "INSERT INTO revocations (kind, value, revoked_ms, reason) VALUES (?, ?, ?, ?)",
    ),
    findRevocations: db.prepare(
      `SELECT kind, value, revoked_ms AS revokedMs, reason FROM revocations
       WHERE (kind = 'capability' AND value = ?) OR (kind = 'run' AND value = ?)
          OR (kind = 'repository' AND value = ?) OR (kind = 'subject' AND value = ?)`,
    ),
    lastDecision: db.prepare("SELECT * FROM decisions WHERE chain = ? ORDER BY seq DESC LIMIT 1"),
    getDecision: db.prepare("SELECT * FROM decisions WHERE decision_id = ?"),
    // A chain with checkpoints but no records left is listed too: its truncation must show.
    listChains: db.prepare(
      "SELECT chain FROM decisions UNION SELECT chain FROM checkpoints ORDER BY chain",
    ),
    insertCheckpoint: db.prepare("INSERT INTO checkpoints VALUES (?, ?, ?, ?, ?, ?)"),
    listCheckpoints: db.prepare("SELECT * FROM checkpoints WHERE chain = ? ORDER BY seq"),
    lastCheckpoint: db.prepare(
      "SELECT * FROM checkpoints WHERE chain = ? ORDER BY seq DESC LIMIT 1",
    ),
    pruneDecisions: db.prepare("DELETE FROM decisions WHERE chain = ? AND seq <= ?"),
    pruneCheckpoints: db.prepare("DELETE FROM checkpoints WHERE chain = ? AND seq < ?"),
    getAttestation: db.prepare("SELECT * FROM attestations WHERE id = ?"),
  };
}

/** The statements of the hot-write connection, each run through writeWithoutWaiting. */
function prepareHotStatements(hot: Database.Database) {
  return {
    insertDecision: hot.prepare(
      "INSERT INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    ),
    insertAttestation: hot.prepare(
      "INSERT INTO attestations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    ),
    pruneReplay: hot.prepare("DELETE FROM replay WHERE expires_ms < ?"),
    // An expired key not yet swept can be claimed again, as in the PostgreSQL store.
    claim: hot.prepare(
      `INSERT INTO replay (key, expires_ms) VALUES (?, ?)
       ON CONFLICT (key) DO UPDATE SET expires_ms = excluded.expires_ms WHERE replay.expires_ms < ?`,
    ),
  };
}

function toDecisionRowOrUndefined(row: unknown): DecisionRow | undefined {
  return row ? toDecisionRow(row) : undefined;
}

const statementCache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** Query shapes repeat (per request on the decision path), so each is prepared once. */
function prepareCached(db: Database.Database, sql: string): Database.Statement {
  let cache = statementCache.get(db);
  if (!cache) {
    cache = new Map();
    statementCache.set(db, cache);
  }
  let stmt = cache.get(sql);
  if (!stmt) {
    stmt = db.prepare(sql);
    if (cache.size < 256) cache.set(sql, stmt);
  }
  return stmt;
}

function queryDecisions(db: Database.Database, q: DecisionQuery): DecisionRow[] {
  const where: string[] = [];
  const args: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    if (v === undefined) return;
    where.push(sql);
    args.push(v);
  };
  add("chain = ?", q.chain);
  add("time_ms >= ?", q.sinceMs);
  add("time_ms < ?", q.untilMs);
  add("type = ?", q.type);
  add("result = ?", q.result);
  add("action = ?", q.action);
  add("repository_id = ?", q.repositoryId);
  add("capability_id = ?", q.capabilityId);
  add("seq > ?", q.afterSeq);
  const sql = `SELECT * FROM decisions ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
    ORDER BY chain, seq LIMIT ${Math.max(1, Math.min(q.limit ?? 1000, 100_000))}`;
  return prepareCached(db, sql)
    .all(...args)
    .map(toDecisionRow);
}

function findAttestations(db: Database.Database, q: AttestationQuery): AttestationRow[] {
  const where = ["repository_id = ?"];
  const args: unknown[] = [q.repositoryId];
  if (q.sha !== undefined) {
    where.push("subject_sha = ?");
    args.push(q.sha);
  }
  if (q.digest !== undefined) {
    where.push("subject_digest = ?");
    args.push(q.digest);
  }
  if (q.kinds && q.kinds.length > 0) {
    where.push(`kind IN (${q.kinds.map(() => "?").join(",")})`);
    args.push(...q.kinds);
  }
  const sql = `SELECT * FROM attestations WHERE ${where.join(" AND ")} ORDER BY created_ms DESC LIMIT 100`;
  return prepareCached(db, sql)
    .all(...args)
    .map(toAttestationRow);
}

/** A limit safe to write into SQL text: a positive integer. */
function toLimit(n: number): number {
  if (!Number.isSafeInteger(n) || n <= 0) throw new RangeError(`not a row limit: ${n}`);
  return n;
}

/** Attestations of one repository about any of the shas or digests, and of the kinds (one statement). */
function findEvidenceAttestations(
  db: Database.Database,
  repositoryId: string,
  m: EvidenceMatch,
): EvidenceRows {
  const list = (n: number) => (n === 0 ? "NULL" : Array.from({ length: n }, () => "?").join(","));
  // Two parts with their own limits: an agent can mint attestations about its commit, never
  // approvals, so only the first part can be flooded (and is reported as truncated). The
  // first is not sorted here: past its limit the decision is refused, so which rows came back
  // doesn't matter, and a sort on every decision cost more than the rest of the lookup.
  // The limits are written into the text (one statement per limit, cached): a bound LIMIT
  // cost ~9 µs a part, measured, as much as the rest of the lookup.
  const limit = toLimit(m.limit);
  const sql = `SELECT * FROM (SELECT *, 0 AS part FROM attestations WHERE repository_id = ?
      AND (subject_sha IN (${list(m.shas.length)}) OR subject_digest IN (${list(m.digests.length)}))
      LIMIT ${limit + 1})
    UNION ALL
    SELECT * FROM (SELECT *, 1 AS part FROM attestations WHERE repository_id = ?
      AND kind IN (${list(m.kinds.length)}) ORDER BY created_ms DESC LIMIT ${limit})`;
  const raw = prepareCached(db, sql).all(
    repositoryId,
    ...m.shas,
    ...m.digests,
    repositoryId,
    ...m.kinds,
  );
  return toEvidenceRows(raw, m.limit);
}
