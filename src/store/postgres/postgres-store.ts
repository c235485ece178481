import type pg from "pg";
import {
  toAttestationRow,
  toCheckpointRow,
  toDecisionRow,
  toRevocationRow,
  toSigningKeyRow,
} from "../sql-rows.js";
import type { AttestationRow, DecisionRow, SigningKeyRow, Store, StoreChannel } from "../store.js";
import { toEvidenceRows } from "../to-evidence-rows.js";
import { migratePostgres } from "./migrate-postgres.js";
import {
  createPostgresPool,
  type PostgresSettings,
  type PostgresStoreOptions,
  toPostgresSettings,
} from "./postgres-connection.js";
import { guardStore } from "./postgres-errors.js";
import { createPostgresListener, toChannelName } from "./postgres-listener.js";
import { SQL, toAttestationQuery, toDecisionQuery, toEvidenceQuery } from "./postgres-queries.js";
import { createPostgresSecretMethods } from "./postgres-secrets.js";

// Expired replay keys are taken over by the claim itself; sweeping the rest can wait.
const PRUNE_EVERY_MS = 60_000;

/**
 * Opens the PostgreSQL store at `url` (postgres://…), applying pending migrations first.
 * Every call is bounded (2 s to get a connection, 5 s per statement, by default) and rejects
 * with ERR_STORE_UNAVAILABLE when the database is down or slow; the pool reconnects on its own.
 */
export async function openPostgresStore(
  url: string,
  opts: PostgresStoreOptions = {},
): Promise<Store> {
  const s = toPostgresSettings(url, opts);
  await migratePostgres(s);
  return createPostgresStore(s, createPostgresPool(s));
}

function createPostgresStore(s: PostgresSettings, pool: pg.Pool): Store {
  const guard = <T>(fn: () => Promise<T>) => guardStore(s.target, fn);
  const rows = async (text: string, values: unknown[] = []) =>
    guard(async () => (await pool.query(text, values)).rows as unknown[]);
  const exec = async (text: string, values: unknown[]) => void (await rows(text, values));
  const channel = (c: StoreChannel) => toChannelName(s.schema, c);
  const listener = createPostgresListener(s);
  let lastPruneMs: number | undefined;
  let closing: Promise<void> | undefined;

  return {
    kind: "postgres",
    close: () => {
      closing ??= listener.close().then(() => pool.end());
      return closing;
    },
    listSigningKeys: async () => (await rows(SQL.listKeys)).map(toSigningKeyRow),
    rotateSigningKey: (k) => guard(() => rotate(pool, k, channel("keys"))),
    async claimOnce(key, expiresMs, nowMs) {
      if (lastPruneMs === undefined || Math.abs(nowMs - lastPruneMs) >= PRUNE_EVERY_MS) {
        await exec(SQL.pruneReplay, [nowMs]);
        lastPruneMs = nowMs;
      }
      return (await rows(SQL.claim, [key, expiresMs, nowMs])).length === 1;
    },
    insertRevocation: (r) =>
      exec(SQL.insertRevocation, [r.kind, r.value, r.revokedMs, r.reason, channel("revocation")]),
    findRevocations: async (p) =>
      (await rows(SQL.findRevocations, [p.capabilityId, p.run, p.repositoryId, p.subject])).map(
        toRevocationRow,
      ),
    appendDecisions: async (batch, attestations = []) => {
      if (attestations.length > 0) {
        await exec(SQL.appendDecisionsWithAttestations, [
          ...toColumns(batch),
          ...toAttestationColumns(attestations),
        ]);
      } else if (batch.length > 0) await exec(SQL.appendDecisions, toColumns(batch));
    },
    lastDecision: async (c) => (await rows(SQL.lastDecision, [c])).map(toDecisionRow)[0],
    getDecision: async (id) => (await rows(SQL.getDecision, [id])).map(toDecisionRow)[0],
    queryDecisions: async (q) => {
      const st = toDecisionQuery(q);
      return (await rows(st.text, st.values)).map(toDecisionRow);
    },
    listChains: async () => (await rows(SQL.listChains)).map((r) => String((r as Raw)["chain"])),
    insertCheckpoint: (c) =>
      exec(SQL.insertCheckpoint, [c.chain, c.seq, c.hash, c.timeMs, c.kid, c.signature]),
    listCheckpoints: async (c) => (await rows(SQL.listCheckpoints, [c])).map(toCheckpointRow),
    lastCheckpoint: async (c) => (await rows(SQL.lastCheckpoint, [c])).map(toCheckpointRow)[0],
    pruneChain: async (chain, throughSeq) => {
      const [r] = (await rows(SQL.pruneChain, [chain, throughSeq])) as Raw[];
      return {
        decisions: Number(r?.["decisions"] ?? 0),
        checkpoints: Number(r?.["checkpoints"] ?? 0),
      };
    },
    getAttestation: async (id) => (await rows(SQL.getAttestation, [id])).map(toAttestationRow)[0],
    findAttestations: async (q) => {
      const st = toAttestationQuery(q);
      return (await rows(st.text, st.values)).map(toAttestationRow);
    },
    findEvidenceAttestations: async (repositoryId, m) => {
      const st = toEvidenceQuery(repositoryId, m);
      return toEvidenceRows(await rows(st.text, st.values), m.limit);
    },
    ...createPostgresSecretMethods(pool, guard),
    subscribe: (c, onEvent) => listener.subscribe(c, onEvent),
    notify: (c) => exec(SQL.notify, [channel(c)]),
  };
}

type Raw = Record<string, unknown>;

/** Retires every current key and inserts the new one in one transaction, then announces it. */
async function rotate(pool: pg.Pool, k: SigningKeyRow, keysChannel: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query(SQL.lockKeys);
    await client.query(SQL.retireKeys, [k.createdMs]);
    await client.query(SQL.insertKey, [
      k.kid,
      k.alg,
      k.publicJwk,
      k.privateSealed,
      k.createdMs,
      k.retiredMs,
    ]);
    await client.query(SQL.notify, [keysChannel]);
    await client.query("COMMIT");
    client.release();
  } catch (err) {
    // Discard the connection: its transaction state is unknown; the server rolls it back.
    client.release(err instanceof Error ? err : true);
    throw err;
  }
}

/** The batch as one array per column, for the unnest insert. */
function toColumns(batch: readonly DecisionRow[]): unknown[] {
  const col = <K extends keyof DecisionRow>(k: K) => batch.map((r) => r[k]);
  return [
    col("chain"),
    col("seq"),
    col("decisionId"),
    col("timeMs"),
    col("type"),
    col("result"),
    col("action"),
    col("repositoryId"),
    col("capabilityId"),
    col("body"),
    col("prevHash"),
    col("hash"),
  ];
}

/** The attestations as one array per column, for the unnest insert beside the records. */
function toAttestationColumns(batch: readonly AttestationRow[]): unknown[] {
  const col = <K extends keyof AttestationRow>(k: K) => batch.map((r) => r[k]);
  return [
    col("id"),
    col("kind"),
    col("zone"),
    col("repositoryId"),
    col("subjectSha"),
    col("subjectDigest"),
    col("envelope"),
    col("facts"),
    col("createdMs"),
    col("decisionId"),
  ];
}
