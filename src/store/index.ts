/**
 * @module store
 * The storage contract and its implementations (embedded SQLite; PostgreSQL for several
 * instances). Owns SQL and nothing else: no domain rules, no crypto, never a plaintext key.
 */
export { openStore } from "./open-store.js";
export { openSqliteStore } from "./sqlite/sqlite-store.js";
export type {
  AttestationQuery,
  AttestationRow,
  CheckpointRow,
  DecisionQuery,
  DecisionRow,
  RevocationKind,
  RevocationProbe,
  RevocationRow,
  SigningKeyRow,
  Store,
} from "./store.js";
