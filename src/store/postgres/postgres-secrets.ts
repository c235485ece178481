import type pg from "pg";
import { toSecretRow, toSecretSummary } from "../sql-rows.js";
import type { SealedRewrap, SecretMethods } from "../store.js";

const SQL = {
  insertSecret: `INSERT INTO secrets (name, sealed_value, sealed_data_key, version, created_ms, updated_ms)
    VALUES ($1, $2, $3, 1, $4, $5) ON CONFLICT (name) DO NOTHING RETURNING name`,
  // Compare-and-set on the version: of two concurrent puts of one version, one wins.
  updateSecret: `UPDATE secrets SET sealed_value = $1, sealed_data_key = $2, version = $3,
    updated_ms = $4 WHERE name = $5 AND version = $6 RETURNING name`,
  // Only the very row the put stored: not a later put's, nor one a master-key rewrap changed.
  restoreSecret: `UPDATE secrets SET sealed_value = $1, sealed_data_key = $2, version = $3,
    updated_ms = $4 WHERE name = $5 AND version = $6 AND sealed_data_key = $7 RETURNING name`,
  deleteSecret: `DELETE FROM secrets WHERE name = $1 AND version = $2 AND sealed_data_key = $3
    RETURNING name`,
  getSecret: "SELECT * FROM secrets WHERE name = $1",
  listSecrets: "SELECT name, version, created_ms, updated_ms FROM secrets ORDER BY name",
  listSealed: "SELECT * FROM secrets ORDER BY name",
  insertLease: `INSERT INTO secret_leases (lease_id, name, capability_id, repository_id, purpose,
      fingerprint, created_ms, expires_ms, decision_id)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
  // No put or key rotation may slip in between the check and the rewrap.
  lockSealed: "LOCK TABLE secrets, signing_keys IN SHARE ROW EXCLUSIVE MODE",
  counts: `SELECT (SELECT count(*) FROM secrets) AS secrets,
    (SELECT count(*) FROM signing_keys) AS keys`,
  rewrapSecrets: `UPDATE secrets s SET sealed_data_key = u.k
    FROM unnest($1::text[], $2::int[], $3::text[]) AS u(name, version, k)
    WHERE s.name = u.name AND s.version = u.version`,
  rewrapKeys: `UPDATE signing_keys s SET private_sealed = u.k
    FROM unnest($1::text[], $2::text[]) AS u(kid, k) WHERE s.kid = u.kid`,
} as const;

/** The secret broker's part of the PostgreSQL store; `guard` maps an unavailable database. */
export function createPostgresSecretMethods(
  pool: pg.Pool,
  guard: <T>(fn: () => Promise<T>) => Promise<T>,
): SecretMethods {
  const rows = async (text: string, values: unknown[] = []) =>
    guard(async () => (await pool.query(text, values)).rows as unknown[]);
  return {
    putSecret: async (r) => {
      const found =
        r.version === 1
          ? await rows(SQL.insertSecret, [
              r.name,
              r.sealedValue,
              r.sealedDataKey,
              r.createdMs,
              r.updatedMs,
            ])
          : await rows(SQL.updateSecret, [
              r.sealedValue,
              r.sealedDataKey,
              r.version,
              r.updatedMs,
              r.name,
              r.version - 1,
            ]);
      return found.length === 1;
    },
    undoSecretPut: async (put, previous) => {
      const undone = previous
        ? await rows(SQL.restoreSecret, [
            previous.sealedValue,
            previous.sealedDataKey,
            previous.version,
            previous.updatedMs,
            put.name,
            put.version,
            put.sealedDataKey,
          ])
        : await rows(SQL.deleteSecret, [put.name, put.version, put.sealedDataKey]);
      return undone.length === 1;
    },
    getSecret: async (name) => (await rows(SQL.getSecret, [name])).map(toSecretRow)[0],
    listSecrets: async () => (await rows(SQL.listSecrets)).map(toSecretSummary),
    insertLease: async (l) =>
      void (await rows(SQL.insertLease, [
        l.leaseId,
        l.name,
        l.capabilityId,
        l.repositoryId,
        l.purpose,
        l.fingerprint,
        l.createdMs,
        l.expiresMs,
        l.decisionId,
      ])),
    listSealedSecrets: async () => (await rows(SQL.listSealed)).map(toSecretRow),
    replaceSealed: (w) => guard(() => replaceSealed(pool, w)),
  };
}

/** One transaction: lock, check the rewrap is complete, update; rolled back unless every row matched. */
async function replaceSealed(pool: pg.Pool, w: SealedRewrap): Promise<boolean> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query(SQL.lockSealed);
    const ok = await applyRewrap(client, w);
    await client.query(ok ? "COMMIT" : "ROLLBACK");
    client.release();
    return ok;
  } catch (err) {
    // Discard the connection: its transaction state is unknown; the server rolls it back.
    client.release(err instanceof Error ? err : true);
    throw err;
  }
}

async function applyRewrap(client: pg.PoolClient, w: SealedRewrap): Promise<boolean> {
  const names = new Set(w.secrets.map((x) => x.name));
  const kids = new Set(w.signingKeys.map((k) => k.kid));
  if (names.size !== w.secrets.length || kids.size !== w.signingKeys.length) return false;
  const counts = (await client.query(SQL.counts)).rows[0] as Record<string, unknown>;
  if (Number(counts["secrets"]) !== names.size || Number(counts["keys"]) !== kids.size)
    return false;
  const secrets = await client.query(SQL.rewrapSecrets, [
    w.secrets.map((x) => x.name),
    w.secrets.map((x) => x.version),
    w.secrets.map((x) => x.sealedDataKey),
  ]);
  const keys = await client.query(SQL.rewrapKeys, [
    w.signingKeys.map((k) => k.kid),
    w.signingKeys.map((k) => k.privateSealed),
  ]);
  return secrets.rowCount === names.size && keys.rowCount === kids.size;
}
