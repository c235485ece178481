import Database from "better-sqlite3";
import type { StoreLocation } from "../config/index.js";
import { type MigrationReport, migratePostgresStore } from "./postgres/migrate-postgres.js";
import { openPostgresStore } from "./postgres/postgres-store.js";
import { SQLITE_MIGRATIONS } from "./sqlite/sqlite-migrations.js";
import { openSqliteStore } from "./sqlite/sqlite-store.js";
import type { Store } from "./store.js";

/** Opens the store a config names, applying pending migrations. PostgreSQL failures throw ERR_STORE_UNAVAILABLE. */
export async function openStore(location: StoreLocation): Promise<Store> {
  if (location.kind === "sqlite") return openSqliteStore(location.path);
  return openPostgresStore(
    location.url,
    location.poolSize === undefined ? {} : { poolSize: location.poolSize },
  );
}

/** What `leash migrate` reports: the store kind, its schema version, what this run applied. */
export interface StoreMigration extends MigrationReport {
  kind: Store["kind"];
}

/** Applies pending migrations to the store a config names, and reports the version. */
export async function migrateStore(location: StoreLocation): Promise<StoreMigration> {
  if (location.kind === "postgres") {
    return { kind: "postgres", ...(await migratePostgresStore(location.url)) };
  }
  const before = readSqliteVersion(location.path);
  await openSqliteStore(location.path).close();
  const applied = SQLITE_MIGRATIONS.map((m) => m.version).filter((v) => v > before);
  return { kind: "sqlite", version: Math.max(before, ...applied), applied };
}

function readSqliteVersion(path: string): number {
  if (path === ":memory:") return 0;
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    return db.pragma("user_version", { simple: true }) as number;
  } catch {
    return 0;
  } finally {
    db?.close();
  }
}
