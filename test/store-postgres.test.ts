/**
 * The store contract on this machine's PostgreSQL, then what only a shared database has:
 * concurrent migrations, several instances, change notification, and failing closed when the
 * database is down or slow. Every suite owns a fresh schema and drops it after.
 * CI starts PostgreSQL; when it is not reachable this file fails (it never skips).
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { hasCode } from "../src/errors/index.js";
import {
  type DecisionRow,
  migratePostgresStore,
  openPostgresStore,
  openStore,
  type PostgresStoreOptions,
  type Store,
} from "../src/store/index.js";
import { createCounter, runMigrate, runStoreContract } from "./store-contract.js";

const URL_ = process.env["LEASH_TEST_POSTGRES_URL"] ?? "postgres://postgres@127.0.0.1:5432/test";

await requirePostgres(URL_);

const newSchema = () => `leash_test_${randomBytes(5).toString("hex")}`;

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: URL_, connectionTimeoutMillis: 2000 });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const dropSchema = (schema: string) =>
  admin((c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));

/** Kills the backends of one schema's stores (all of them, or those whose last query matches). */
const terminate = (schema: string, queryLike = "%") =>
  admin(async (c) => {
    const res = await c.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE application_name = $1 AND query LIKE $2 AND pid <> pg_backend_pid()`,
      [`leash/${schema}`, queryLike],
    );
    return res.rowCount ?? 0;
  });

runStoreContract("postgres", async () => {
  const schema = newSchema();
  const store = await openPostgresStore(URL_, { schema, poolSize: 4 });
  return {
    store,
    async cleanup() {
      await store.close();
      await dropSchema(schema);
    },
  };
});

/** A schema with `count` store instances on it, closed and dropped after the suite. */
function useInstances(count: number, opts: PostgresStoreOptions = {}) {
  const ctx = { schema: newSchema(), stores: [] as Store[] };
  before(async () => {
    ctx.stores = await Promise.all(
      Array.from({ length: count }, () =>
        openPostgresStore(URL_, { schema: ctx.schema, poolSize: 4, ...opts }),
      ),
    );
  });
  after(async () => {
    await Promise.all(ctx.stores.map((s) => s.close()));
    await dropSchema(ctx.schema);
  });
  return ctx;
}

const at = (stores: Store[], i: number) => stores[i] as Store;

describe("PostgreSQL: several instances on one database", () => {
  const ctx = useInstances(3);

  test("instances starting at once migrate the schema exactly once", async () => {
    const versions = await admin((c) =>
      c.query(`SELECT version FROM "${ctx.schema}".leash_migrations ORDER BY version`),
    );
    assert.deepEqual(
      versions.rows.map((r) => r.version),
      [1, 2, 3],
    );
    const again = await migratePostgresStore(URL_, { schema: ctx.schema });
    assert.deepEqual(again, { version: 3, applied: [] });
  });

  test("a notify on one instance reaches a subscriber on another within 1 s", async () => {
    const heard = createCounter(1000);
    const off = await at(ctx.stores, 0).subscribe?.("policy", () => heard.bump());
    await at(ctx.stores, 1).notify?.("policy");
    await heard.reach(1);
    await off?.();
  });

  test("a key rotation and a revocation on one instance are announced to the others", async () => {
    const keys = createCounter(1000);
    const revocations = createCounter(1000);
    const offKeys = await at(ctx.stores, 0).subscribe?.("keys", () => keys.bump());
    const offRev = await at(ctx.stores, 2).subscribe?.("revocation", () => revocations.bump());
    await at(ctx.stores, 1).rotateSigningKey({
      kid: "key_n",
      alg: "ES256",
      publicJwk: "{}",
      privateSealed: "sealed",
      createdMs: 1,
      retiredMs: null,
    });
    await at(ctx.stores, 1).insertRevocation({
      kind: "run",
      value: "74/1",
      revokedMs: 2,
      reason: "t",
    });
    await Promise.all([keys.reach(1), revocations.reach(1)]);
    await offKeys?.();
    await offRev?.();
  });

  test("a token claimed on one instance is a replay on every other, even when racing", async () => {
    assert.equal(await at(ctx.stores, 0).claimOnce("oidc:one", 1000, 1), true);
    assert.equal(await at(ctx.stores, 1).claimOnce("oidc:one", 1000, 2), false);
    const race = await Promise.all(
      Array.from({ length: 12 }, (_, i) => at(ctx.stores, i % 3).claimOnce("oidc:two", 1000, 1)),
    );
    assert.equal(race.filter(Boolean).length, 1);
  });

  test("concurrent rotations on several instances leave one current key", async () => {
    await Promise.all(
      Array.from({ length: 9 }, (_, i) =>
        at(ctx.stores, i % 3).rotateSigningKey({
          kid: `key_r${i}`,
          alg: "ES256",
          publicJwk: "{}",
          privateSealed: "sealed",
          createdMs: 100 + i,
          retiredMs: null,
        }),
      ),
    );
    const rows = await at(ctx.stores, 2).listSigningKeys();
    assert.equal(rows.filter((r) => r.retiredMs === null).length, 1);
  });
});

describe("PostgreSQL: failing closed and recovering", () => {
  test("a closed port makes open reject with ERR_STORE_UNAVAILABLE", async () => {
    const port = await closedPort();
    await assert.rejects(openPostgresStore(`postgres://postgres@127.0.0.1:${port}/test`), (err) =>
      hasCode(err, "ERR_STORE_UNAVAILABLE"),
    );
  });

  test("a server that never answers is given up on at the connect timeout", async () => {
    const silent = await startSilentServer();
    try {
      const url = `postgres://postgres@127.0.0.1:${silent.port}/test`;
      await assert.rejects(openPostgresStore(url, { connectTimeoutMs: 200 }), (err) =>
        hasCode(err, "ERR_STORE_UNAVAILABLE"),
      );
    } finally {
      await silent.close();
    }
  });

  describe("a statement stuck behind a lock", () => {
    const ctx = useInstances(1, { statementTimeoutMs: 300 });
    test("is cancelled with ERR_STORE_UNAVAILABLE, and the store works once the lock goes", async () => {
      const store = at(ctx.stores, 0);
      const blocker = new pg.Client({ connectionString: URL_ });
      await blocker.connect();
      try {
        await blocker.query("BEGIN");
        await blocker.query(`LOCK TABLE "${ctx.schema}".decisions IN ACCESS EXCLUSIVE MODE`);
        await assert.rejects(store.appendDecisions([row(1)]), (err) =>
          hasCode(err, "ERR_STORE_UNAVAILABLE"),
        );
        await blocker.query("ROLLBACK");
      } finally {
        await blocker.end();
      }
      await store.appendDecisions([row(1)]);
      assert.equal((await store.lastDecision("c"))?.seq, 1);
    });
  });

  describe("backends terminated under a running store", () => {
    const ctx = useInstances(2);
    test("the pool replaces its dead connections by itself", async () => {
      const store = at(ctx.stores, 0);
      await Promise.all([store.listChains(), store.listChains(), store.listChains()]);
      assert.ok((await terminate(ctx.schema)) > 0);
      assert.deepEqual(await untilAvailable(() => store.listChains(), 6), []);
      assert.deepEqual(await store.listChains(), []);
    });

    test("a subscription reconnects, resyncs its subscribers, and hears notifies again", async () => {
      const heard = createCounter(5000);
      const off = await at(ctx.stores, 0).subscribe?.("keys", () => heard.bump());
      assert.ok((await terminate(ctx.schema, "LISTEN%")) > 0);
      // After a reconnect every subscriber is called once: events may have been missed.
      await heard.reach(1);
      await untilAvailable(() => at(ctx.stores, 1).notify?.("keys") ?? Promise.resolve(), 6);
      await heard.reach(2);
      await off?.();
    });
  });
});

describe("PostgreSQL: store.url", () => {
  const schema = newSchema();
  // A role's schema can also come from the URL: libpq's `options` sets search_path.
  const url = `${URL_}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  before(() => admin((c) => c.query(`CREATE SCHEMA "${schema}"`)));
  after(() => dropSchema(schema));

  test("leash migrate applies the migrations once and reports the version", async () => {
    const dir = mkdtempSync(join(tmpdir(), "leash-migrate-"));
    try {
      const example = readFileSync(new URL("../../examples/leash.yaml", import.meta.url), "utf8");
      const config = example.replace(/url: "sqlite:[^"]*"/, `url: ${JSON.stringify(url)}`);
      assert.notEqual(config, example);
      writeFileSync(join(dir, "leash.yaml"), config);
      const run = () => runMigrate(dir);
      const report = (applied: number[]) => ({ store: "postgres", version: 3, applied });
      assert.deepEqual(await run(), { code: 0, report: report([1, 2, 3]) });
      assert.deepEqual(await run(), { code: 0, report: report([]) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a postgres:// location opens a migrated PostgreSQL store", async () => {
    const store = await openStore({ kind: "postgres", url });
    try {
      assert.equal(store.kind, "postgres");
      assert.deepEqual(await store.listChains(), []);
    } finally {
      await store.close();
    }
  });
});

const row = (seq: number): DecisionRow => ({
  chain: "c",
  seq,
  decisionId: `dec_${seq}`,
  timeMs: seq,
  type: "authorize",
  result: "allow",
  action: null,
  repositoryId: null,
  capabilityId: null,
  body: "{}",
  prevHash: "p",
  hash: "h",
});

/** Calls `fn` until it succeeds, at most `attempts` times; every failure must be ERR_STORE_UNAVAILABLE. */
async function untilAvailable<T>(fn: () => Promise<T>, attempts: number): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      assert.ok(hasCode(err, "ERR_STORE_UNAVAILABLE"), `unexpected failure: ${String(err)}`);
      if (i >= attempts) throw err;
    }
  }
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

/** A TCP server that accepts connections and never says a word. */
async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as { port: number }).port,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

async function requirePostgres(url: string): Promise<void> {
  const shown = url.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@");
  try {
    await admin((c) => c.query("SELECT 1"));
  } catch (err) {
    throw new Error(
      `PostgreSQL is not reachable at ${shown} (${String(err)}). These tests need it: start it ` +
        "(pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or set " +
        "LEASH_TEST_POSTGRES_URL.",
    );
  }
}
