/**
 * @module store
 * The storage contract and its implementations (embedded SQLite; PostgreSQL for several
 * instances). Owns SQL and nothing else: no domain rules, no crypto, never a plaintext key.
 * Never hangs a caller: a PostgreSQL store that is down or slow rejects with
 * ERR_STORE_UNAVAILABLE, and the caller denies.
 */
export { migrateStore, openStore, type StoreMigration } from "./open-store.js";
export type { MigrationReport } from "./postgres/migrate-postgres.js";
export { migratePostgresStore } from "./postgres/migrate-postgres.js";
export type { PostgresStoreOptions } from "./postgres/postgres-connection.js";
export { openPostgresStore } from "./postgres/postgres-store.js";
export { openSqliteStore } from "./sqlite/sqlite-store.js";
export type {
  AttestationQuery,
  AttestationRow,
  CheckpointRow,
  DecisionQuery,
  DecisionRow,
  EvidenceMatch,
  EvidenceRows,
  RevocationKind,
  RevocationProbe,
  RevocationRow,
  SealedRewrap,
  SecretLeaseRow,
  SecretRow,
  SecretSummary,
  SigningKeyRow,
  Store,
  StoreChannel,
} from "./store.js";
