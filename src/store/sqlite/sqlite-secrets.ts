import type Database from "better-sqlite3";
import { toSecretRow, toSecretSummary } from "../sql-rows.js";
import type { SealedRewrap, SecretLeaseRow, SecretMethods, SecretRow } from "../store.js";

/** Thrown inside a transaction to roll it back; never leaves this file. */
class Conflict extends Error {}

/** The secret broker's part of the embedded store. */
export function createSqliteSecretMethods(db: Database.Database): SecretMethods {
  const s = prepareSecretStatements(db);
  const put = db.transaction((r: SecretRow): boolean => {
    if (r.version === 1) {
      const args = [r.name, r.sealedValue, r.sealedDataKey, r.createdMs, r.updatedMs];
      return s.insertSecret.run(...args).changes === 1;
    }
    const args = [r.sealedValue, r.sealedDataKey, r.version, r.updatedMs, r.name, r.version - 1];
    return s.updateSecret.run(...args).changes === 1;
  });
  const replace = db.transaction((w: SealedRewrap): void => {
    if (!isComplete(w, s)) throw new Conflict();
    for (const x of w.secrets) {
      if (s.rewrapSecret.run(x.sealedDataKey, x.name, x.version).changes !== 1)
        throw new Conflict();
    }
    for (const k of w.signingKeys) {
      if (s.rewrapKey.run(k.privateSealed, k.kid).changes !== 1) throw new Conflict();
    }
  });
  return {
    putSecret: async (row) => put.immediate(row),
    undoSecretPut: async (put, previous) =>
      (previous
        ? s.restoreSecret.run(
            previous.sealedValue,
            previous.sealedDataKey,
            previous.version,
            previous.updatedMs,
            put.name,
            put.version,
            put.sealedDataKey,
          )
        : s.deleteSecret.run(put.name, put.version, put.sealedDataKey)
      ).changes === 1,
    getSecret: async (name) => {
      const row = s.getSecret.get(name);
      return row ? toSecretRow(row) : undefined;
    },
    listSecrets: async () => s.listSecrets.all().map(toSecretSummary),
    insertLease: async (l: SecretLeaseRow) =>
      void s.insertLease.run(
        l.leaseId,
        l.name,
        l.capabilityId,
        l.repositoryId,
        l.purpose,
        l.fingerprint,
        l.createdMs,
        l.expiresMs,
        l.decisionId,
      ),
    listSealedSecrets: async () => s.listSealed.all().map(toSecretRow),
    replaceSealed: async (rewrap) => {
      try {
        replace.immediate(rewrap);
        return true;
      } catch (err) {
        if (err instanceof Conflict) return false;
        throw err;
      }
    },
  };
}

/** The rewrap names every stored secret and signing key, each once. */
function isComplete(w: SealedRewrap, s: ReturnType<typeof prepareSecretStatements>): boolean {
  const names = new Set(w.secrets.map((x) => x.name));
  const kids = new Set(w.signingKeys.map((k) => k.kid));
  const counts = s.counts.get() as { secrets: number; keys: number };
  return (
    names.size === w.secrets.length &&
    kids.size === w.signingKeys.length &&
    counts.secrets === names.size &&
    counts.keys === kids.size
  );
}

function prepareSecretStatements(db: Database.Database) {
  return {
    insertSecret: db.prepare(
      `INSERT INTO secrets (name, sealed_value, sealed_data_key, version, created_ms, updated_ms)
       VALUES (?, ?, ?, 1, ?, ?) ON CONFLICT (name) DO NOTHING`,
    ),
    updateSecret: db.prepare(
      `UPDATE secrets SET sealed_value = ?, sealed_data_key = ?, version = ?, updated_ms = ?
       WHERE name = ? AND version = ?`,
    ),
    restoreSecret: db.prepare(
      `UPDATE secrets SET sealed_value = ?, sealed_data_key = ?, version = ?, updated_ms = ?
       WHERE name = ? AND version = ? AND sealed_data_key = ?`,
    ),
    deleteSecret: db.prepare(
      "DELETE FROM secrets WHERE name = ? AND version = ? AND sealed_data_key = ?",
    ),
    getSecret: db.prepare("SELECT * FROM secrets WHERE name = ?"),
    listSecrets: db.prepare(
      "SELECT name, version, created_ms, updated_ms FROM secrets ORDER BY name",
    ),
    listSealed: db.prepare("SELECT * FROM secrets ORDER BY name"),
    insertLease: db.prepare("INSERT INTO secret_leases VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
    counts: db.prepare(
      "SELECT (SELECT count(*) FROM secrets) AS secrets, (SELECT count(*) FROM signing_keys) AS keys",
    ),
    rewrapSecret: db.prepare(
      "UPDATE secrets SET sealed_data_key = ? WHERE name = ? AND version = ?",
    ),
    rewrapKey: db.prepare("UPDATE signing_keys SET private_sealed = ? WHERE kid = ?"),
  };
}
