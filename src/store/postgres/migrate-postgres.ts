import pg from "pg";
import {
  type PostgresSettings,
  type PostgresStoreOptions,
  quoteIdent,
  toClientConfig,
  toPostgresSettings,
} from "./postgres-connection.js";
import { guardStore } from "./postgres-errors.js";
import { POSTGRES_MIGRATIONS } from "./postgres-migrations.js";

/** The schema version after migrating, and the versions this run applied. */
export interface MigrationReport {
  version: number;
  applied: number[];
}

// A migration may rewrite a large table; it gets longer than a request's statement.
const MIGRATION_TIMEOUT_MS = 10 * 60_000;

/**
 * Applies pending migrations to the database at `url`. Throws ERR_STORE_UNAVAILABLE when
 * the database cannot be reached; a failing migration rolls back entirely.
 */
export async function migratePostgresStore(
  url: string,
  opts: PostgresStoreOptions = {},
): Promise<MigrationReport> {
  return migratePostgres(toPostgresSettings(url, opts));
}

/**
 * One transaction on its own connection, under a transaction-scoped advisory lock: two
 * instances starting at once serialize here, and the second finds nothing left to do.
 */
export async function migratePostgres(s: PostgresSettings): Promise<MigrationReport> {
  return guardStore(s.target, async () => {
    const client = new pg.Client(toClientConfig(s, MIGRATION_TIMEOUT_MS));
    client.on("error", () => {});
    await client.connect();
    try {
      await client.query("BEGIN");
      const report = await applyPending(client, s.schema);
      await client.query("COMMIT");
      return report;
    } finally {
      // Ending the connection rolls back anything left open.
      await client.end().catch(() => {});
    }
  });
}

async function applyPending(client: pg.Client, schema: string | undefined) {
  await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [
    `leash_migrations:${schema ?? ""}`,
  ]);
  if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
  await client.query(
    `CREATE TABLE IF NOT EXISTS leash_migrations (
       version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_ms BIGINT NOT NULL
     )`,
  );
  const res = await client.query("SELECT COALESCE(MAX(version), 0) AS v FROM leash_migrations");
  const current = Number(res.rows[0]?.v ?? 0);
  const applied: number[] = [];
  for (const m of POSTGRES_MIGRATIONS) {
    if (m.version <= current) continue;
    await client.query(m.sql);
    await client.query(
      `INSERT INTO leash_migrations (version, description, applied_ms)
       VALUES ($1, $2, (extract(epoch FROM clock_timestamp()) * 1000)::bigint)`,
      [m.version, m.description],
    );
    applied.push(m.version);
  }
  return { version: Math.max(current, ...applied), applied };
}
