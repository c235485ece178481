/**
 * Two leash instances behind one public URL on one PostgreSQL schema, each with its own HTTP
 * server and audit chain and the same LEASH_MASTER_KEY: what one does, the other honours.
 * Nothing is mocked; a small TCP proxy in front of PostgreSQL plays the database going away.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { connect, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { verifyAuditLog } from "../src/audit/index.js";
import { createLeash, type Leash } from "../src/broker/index.js";
import { configSchema } from "../src/config/config-schema.js";
import { compileConfig } from "../src/config/index.js";
import { hasCode } from "../src/errors/index.js";
import { type RunningServer, startServer } from "../src/server/index.js";
import { openPostgresStore, type Store } from "../src/store/index.js";
import { startTestIssuer, type TestIssuer } from "./support/oidc-issuer.js";
import {
  ADMIN_TOKEN,
  ciIssuer,
  defaultTrust,
  exchangeForm,
  postForm,
  postJson,
} from "./support/test-leash.js";

const PG_URL = process.env["LEASH_TEST_POSTGRES_URL"] ?? "postgres://postgres@127.0.0.1:5432/test";
const PUBLIC_URL = "https://leash.cluster.test";
const MASTER_KEY = randomBytes(32).toString("base64");
const BRANCH = { type: "Branch", id: "refs/heads/agent/fix", attrs: { paths: ["src/a.ts"] } };

interface Instance {
  leash: Leash;
  server: RunningServer;
  url: string;
  close(): Promise<void>;
}

async function startInstance(
  issuer: TestIssuer,
  store: Store,
  id: string,
  masterKey = MASTER_KEY,
): Promise<Instance> {
  const dir = mkdtempSync(join(tmpdir(), `leash-cluster-${id}-`));
  const raw = configSchema.parse({
    server: { host: "127.0.0.1", port: 0, public_url: PUBLIC_URL, instance_id: id },
    store: { url: PG_URL },
    state_dir: "state",
    issuers: [ciIssuer(issuer.url)],
    trust: defaultTrust(),
  });
  const config = compileConfig(raw, join(dir, "leash.yaml"));
  try {
    const leash = await createLeash(config, {
      env: { LEASH_MASTER_KEY: masterKey, LEASH_ADMIN_TOKEN: ADMIN_TOKEN },
      store,
    });
    const server = await startServer(leash, { host: "127.0.0.1", port: 0 });
    return {
      leash,
      server,
      url: server.url,
      async close() {
        await server.close();
        await leash.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const bearer = (token: unknown) => ({ authorization: `Bearer ${String(token)}` });
const kidOf = (jwt: unknown) =>
  (
    JSON.parse(Buffer.from(String(jwt).split(".")[0] ?? "", "base64url").toString()) as {
      kid: string;
    }
  ).kid;

/** Calls `probe` until it returns true; fails after `timeoutMs`. Returns the elapsed ms. */
async function within(timeoutMs: number, probe: () => Promise<boolean> | boolean): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await probe()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) assert.fail(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function dropSchema(schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  await c.connect();
  try {
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await c.end();
  }
}

describe("two instances on one PostgreSQL", () => {
  const schema = `leash_test_${randomBytes(5).toString("hex")}`;
  let issuer: TestIssuer;
  let a: Instance;
  let b: Instance;
  let jti = 0;
  const token = (claims: Record<string, unknown> = {}) =>
    issuer.sign(issuer.githubClaims({ jti: `cluster-${++jti}`, ...claims }));
  const exchange = async (on: Instance, zone = "editing") =>
    postForm(`${on.url}/v1/token`, exchangeForm(await token(), `zone:${zone}`));
  const authorize = (on: Instance, capability: unknown) =>
    postJson(
      `${on.url}/v1/authorize`,
      { action: "code.write", resource: BRANCH },
      bearer(capability),
    );

  before(async () => {
    issuer = await startTestIssuer();
    const open = () => openPostgresStore(PG_URL, { schema, poolSize: 4 });
    a = await startInstance(issuer, await open(), "inst-a");
    b = await startInstance(issuer, await open(), "inst-b");
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await issuer?.close();
    await dropSchema(schema);
  });

  test("a capability revoked on A is refused on B within 1 s", async () => {
    const cap = (await exchange(a)).body;
    assert.equal((await authorize(b, cap["access_token"])).body["decision"], "allow");
    const revoked = await postJson(
      `${a.url}/v1/revoke`,
      { capability_id: cap["capability_id"] },
      admin,
    );
    assert.equal(revoked.status, 200);
    await within(1000, async () => {
      const res = await authorize(b, cap["access_token"]);
      return res.status === 401 && res.body["code"] === "ERR_CAPABILITY_REVOKED";
    });
  });

  test("an OIDC token exchanged on A is a replay on B", async () => {
    const form = exchangeForm(await token(), "zone:editing");
    assert.equal((await postForm(`${a.url}/v1/token`, form)).status, 200);
    const again = await postForm(`${b.url}/v1/token`, form);
    assert.equal(again.body["code"], "ERR_EXCHANGE_TOKEN_REPLAYED");
  });

  test("a key rotated on A signs on B, and each accepts the other's capabilities", async () => {
    const before = (await exchange(b)).body;
    const rotated = await a.leash.keyRing.rotate();
    await within(1000, () => b.leash.keyRing.current().kid === rotated.kid);
    const fromB = (await exchange(b)).body;
    assert.equal(kidOf(fromB["access_token"]), rotated.kid);
    assert.equal((await authorize(a, fromB["access_token"])).body["decision"], "allow");
    // The retired key keeps verifying until its capabilities expire.
    assert.equal((await authorize(a, before["access_token"])).body["decision"], "allow");
    assert.equal((await authorize(b, before["access_token"])).body["decision"], "allow");
  });

  test("a policy reload on A is announced and reloads B", async () => {
    const active = b.leash.policy.active;
    a.leash.policy.reload();
    await within(1000, () => b.leash.policy.active !== active);
  });

  test("after concurrent load on both, the audit log verifies over both chains", async () => {
    const caps = await Promise.all(Array.from({ length: 60 }, (_, i) => exchange(i % 2 ? a : b)));
    const tokens = caps.map((c) => c.body["access_token"]);
    assert.ok(tokens.every((t) => typeof t === "string"));
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) => authorize(i % 2 ? b : a, tokens[i % tokens.length])),
    );
    assert.ok(results.every((r) => r.body["decision"] === "allow"));
    await Promise.all([a.leash.audit.flush(), b.leash.audit.flush()]);
    const verified = await verifyAuditLog(a.leash.store);
    assert.equal(verified.ok, true, JSON.stringify(verified.problem));
    const chains = Object.fromEntries(verified.chains.map((c) => [c.chain, c.records]));
    assert.ok(
      (chains["inst-a"] ?? 0) > 180 && (chains["inst-b"] ?? 0) > 180,
      JSON.stringify(chains),
    );
  });

  test("an instance with another master key refuses to start: ERR_SEALING_UNSEAL_FAILED", async () => {
    const store = await openPostgresStore(PG_URL, { schema, poolSize: 1 });
    const wrong = randomBytes(32).toString("base64");
    await assert.rejects(startInstance(issuer, store, "inst-x", wrong), (err) =>
      hasCode(err, "ERR_SEALING_UNSEAL_FAILED"),
    );
  });

  describe("the database going away under an instance", () => {
    let proxy: TcpProxy;
    let c: Instance;
    before(async () => {
      proxy = await startTcpProxy();
      const url = new URL(PG_URL);
      url.hostname = "127.0.0.1";
      url.port = String(proxy.port);
      const store = await openPostgresStore(url.toString(), {
        schema,
        poolSize: 2,
        connectTimeoutMs: 500,
        statementTimeoutMs: 1000,
      });
      c = await startInstance(issuer, store, "inst-c");
    });
    after(async () => {
      await proxy.start();
      await c?.close();
      await proxy.close();
    });

    test("fails closed with ERR_STORE_UNAVAILABLE (503), and recovers when it returns", async () => {
      const cap = (await exchange(a)).body["access_token"];
      assert.equal((await authorize(c, cap)).body["decision"], "allow");
      await proxy.stop();
      const down = await authorize(c, cap);
      assert.equal(down.status, 503);
      assert.equal(down.body["code"], "ERR_STORE_UNAVAILABLE");
      assert.notEqual(down.body["decision"], "allow");
      await proxy.start();
      await within(5000, async () => (await authorize(c, cap)).body["decision"] === "allow");
      await c.leash.audit.flush();
      assert.equal((await verifyAuditLog(a.leash.store)).ok, true);
    });
  });
});

interface TcpProxy {
  port: number;
  /** Refuses new connections and cuts the open ones: the database is gone. */
  stop(): Promise<void>;
  /** Accepts connections again on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/** A TCP proxy on 127.0.0.1 in front of PostgreSQL, so a test can take the database away. */
async function startTcpProxy(): Promise<TcpProxy> {
  const target = new URL(PG_URL);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer((client) => {
        const upstream = connect(Number(target.port || 5432), target.hostname);
        for (const sock of [client, upstream]) {
          sockets.add(sock);
          sock.on("close", () => sockets.delete(sock));
          sock.on("error", () => {
            client.destroy();
            upstream.destroy();
          });
        }
        client.pipe(upstream).pipe(client);
      });
      s.once("error", reject);
      s.listen(port, "127.0.0.1", () => {
        port = (s.address() as { port: number }).port;
        server = s;
        resolve();
      });
    });
  const stop = async () => {
    const s = server;
    server = undefined;
    for (const sock of sockets) sock.destroy();
    if (s) await new Promise((r) => s.close(r));
  };
  await listen();
  return {
    get port() {
      return port;
    },
    stop,
    start: async () => {
      if (!server) await listen();
    },
    close: stop,
  };
}
