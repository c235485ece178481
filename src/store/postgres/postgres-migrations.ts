/**
 * Versioned schema for the PostgreSQL store; applied in order at open, each once, recorded
 * in `leash_migrations`. Same tables and meaning as SQLite. Migrations only ever add, so an
 * older instance keeps working while a newer one has migrated (rolling upgrade).
 * Times are BIGINT milliseconds; JSON is TEXT (stored as written, hashed as written).
 * Chain names sort bytewise (COLLATE "C"), as in SQLite, so paging order is the same everywhere.
 */
export const POSTGRES_MIGRATIONS: readonly { version: number; description: string; sql: string }[] =
  [
    {
      version: 1,
      description:
        "signing keys, replay cache, revocations, decision log, checkpoints, attestations",
      sql: `
      CREATE TABLE signing_keys (
        kid TEXT PRIMARY KEY, alg TEXT NOT NULL, public_jwk TEXT NOT NULL,
        private_sealed TEXT NOT NULL, created_ms BIGINT NOT NULL, retired_ms BIGINT
      );
      CREATE UNIQUE INDEX signing_keys_one_current ON signing_keys ((retired_ms IS NULL))
        WHERE retired_ms IS NULL;
      CREATE TABLE replay (key TEXT PRIMARY KEY, expires_ms BIGINT NOT NULL);
      CREATE INDEX replay_expires ON replay (expires_ms);
      CREATE TABLE revocations (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, kind TEXT NOT NULL,
        value TEXT NOT NULL, revoked_ms BIGINT NOT NULL, reason TEXT NOT NULL
      );
      CREATE INDEX revocations_lookup ON revocations (kind, value);
      CREATE TABLE decisions (
        chain TEXT COLLATE "C" NOT NULL, seq BIGINT NOT NULL, decision_id TEXT NOT NULL UNIQUE,
        time_ms BIGINT NOT NULL, type TEXT NOT NULL, result TEXT NOT NULL, action TEXT,
        repository_id TEXT, capability_id TEXT, body TEXT NOT NULL,
        prev_hash TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (chain, seq)
      );
      CREATE INDEX decisions_time ON decisions (time_ms);
      CREATE INDEX decisions_capability ON decisions (capability_id);
      CREATE TABLE checkpoints (
        chain TEXT COLLATE "C" NOT NULL, seq BIGINT NOT NULL, hash TEXT NOT NULL,
        time_ms BIGINT NOT NULL, kid TEXT NOT NULL, signature TEXT NOT NULL,
        PRIMARY KEY (chain, seq)
      );
      CREATE TABLE attestations (
        id TEXT PRIMARY KEY, kind TEXT NOT NULL, zone TEXT NOT NULL, repository_id TEXT NOT NULL,
        subject_sha TEXT, subject_digest TEXT, envelope TEXT NOT NULL, facts TEXT NOT NULL,
        created_ms BIGINT NOT NULL, decision_id TEXT NOT NULL
      );
      CREATE INDEX attestations_sha ON attestations (repository_id, subject_sha);
      CREATE INDEX attestations_digest ON attestations (subject_digest);
    `,
    },
    {
      version: 2,
      description: "brokered secrets (sealed) and their leases",
      sql: `
      CREATE TABLE secrets (
        name TEXT COLLATE "C" PRIMARY KEY, sealed_value TEXT NOT NULL,
        sealed_data_key TEXT NOT NULL, version INTEGER NOT NULL,
        created_ms BIGINT NOT NULL, updated_ms BIGINT NOT NULL
      );
      CREATE TABLE secret_leases (
        lease_id TEXT PRIMARY KEY, name TEXT NOT NULL, capability_id TEXT NOT NULL,
        repository_id TEXT NOT NULL, purpose TEXT NOT NULL, fingerprint TEXT NOT NULL,
        created_ms BIGINT NOT NULL, expires_ms BIGINT NOT NULL, decision_id TEXT NOT NULL
      );
      CREATE INDEX secret_leases_name ON secret_leases (name, created_ms);
      CREATE INDEX secret_leases_capability ON secret_leases (capability_id);
    `,
    },
    {
      version: 3,
      description:
        "attestations by repository and kind, newest first (approvals on the decision path)",
      sql: "CREATE INDEX attestations_kind ON attestations (repository_id, kind, created_ms);",
    },
  ];

/** The schema version this build of leash migrates to. */
export const POSTGRES_SCHEMA_VERSION = Math.max(...POSTGRES_MIGRATIONS.map((m) => m.version));
