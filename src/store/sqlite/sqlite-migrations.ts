/** Versioned schema for the embedded store; applied in order at open, each once. */
export const SQLITE_MIGRATIONS: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE signing_keys (
        kid TEXT PRIMARY KEY, alg TEXT NOT NULL, public_jwk TEXT NOT NULL,
        private_sealed TEXT NOT NULL, created_ms INTEGER NOT NULL, retired_ms INTEGER
      );
      CREATE TABLE replay (key TEXT PRIMARY KEY, expires_ms INTEGER NOT NULL) WITHOUT ROWID;
      CREATE INDEX replay_expires ON replay (expires_ms);
      CREATE TABLE revocations (
        id INTEGER PRIMARY KEY, kind TEXT NOT NULL, value TEXT NOT NULL,
        revoked_ms INTEGER NOT NULL, reason TEXT NOT NULL
      );
      CREATE INDEX revocations_lookup ON revocations (kind, value);
      CREATE TABLE decisions (
        chain TEXT NOT NULL, seq INTEGER NOT NULL, decision_id TEXT NOT NULL UNIQUE,
        time_ms INTEGER NOT NULL, type TEXT NOT NULL, result TEXT NOT NULL, action TEXT,
        repository_id TEXT, capability_id TEXT, body TEXT NOT NULL,
        prev_hash TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (chain, seq)
      );
      CREATE INDEX decisions_time ON decisions (time_ms);
      CREATE INDEX decisions_capability ON decisions (capability_id);
      CREATE TABLE checkpoints (
        chain TEXT NOT NULL, seq INTEGER NOT NULL, hash TEXT NOT NULL, time_ms INTEGER NOT NULL,
        kid TEXT NOT NULL, signature TEXT NOT NULL, PRIMARY KEY (chain, seq)
      );
      CREATE TABLE attestations (
        id TEXT PRIMARY KEY, kind TEXT NOT NULL, zone TEXT NOT NULL, repository_id TEXT NOT NULL,
        subject_sha TEXT, subject_digest TEXT, envelope TEXT NOT NULL, facts TEXT NOT NULL,
        created_ms INTEGER NOT NULL, decision_id TEXT NOT NULL
      );
      CREATE INDEX attestations_sha ON attestations (repository_id, subject_sha);
      CREATE INDEX attestations_digest ON attestations (subject_digest);
    `,
  },
  {
    version: 2,
    sql: `
      CREATE TABLE secrets (
        name TEXT PRIMARY KEY, sealed_value TEXT NOT NULL, sealed_data_key TEXT NOT NULL,
        version INTEGER NOT NULL, created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL
      );
      CREATE TABLE secret_leases (
        lease_id TEXT PRIMARY KEY, name TEXT NOT NULL, capability_id TEXT NOT NULL,
        repository_id TEXT NOT NULL, purpose TEXT NOT NULL, fingerprint TEXT NOT NULL,
        created_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL, decision_id TEXT NOT NULL
      );
      CREATE INDEX secret_leases_name ON secret_leases (name, created_ms);
      CREATE INDEX secret_leases_capability ON secret_leases (capability_id);
    `,
  },
  {
    version: 3,
    // The decision path reads a repository's approvals newest first: an index in that order
    // reads the newest 200 without scanning and sorting every attestation of the repository.
    sql: "CREATE INDEX attestations_kind ON attestations (repository_id, kind, created_ms);",
  },
];
