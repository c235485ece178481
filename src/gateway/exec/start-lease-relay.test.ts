import assert from "node:assert/strict";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { MAX_LEASE_RESPONSE_BYTES, startLeaseRelay } from "./start-lease-relay.js";

function decodeURIOrNull(path: string): string | null {
  try {
    return decodeURI(path);
  } catch {
    return null;
  }
}

/** A test peer playing leash: each path answers as the case needs. */
function startUpstream(): Promise<{ server: Server; url: string }> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const echo = {
      method: req.method,
      url: req.url,
      body: Buffer.concat(chunks).toString(),
      auth: req.headers.authorization,
    };
    // Routed as leash's router does: percent-decoded (`/v1/secrets/DB/%6cease` is a lease).
    const path = decodeURIOrNull((req.url ?? "").split("?")[0] as string);
    if (path === null) {
      res.writeHead(400, { "content-type": "application/json" });
      return res.end(JSON.stringify({ code: "ERR_REQUEST_MALFORMED" }));
    }
    if (path.endsWith("/v1/secrets/DB/lease")) {
      res.writeHead(200, { "content-type": "application/json", "x-leash": "1" });
      return res.end(JSON.stringify({ value: "db-password-value-42", lease_id: "lea_1", echo }));
    }
    if (path.endsWith("/v1/secrets/DENIED/lease")) {
      res.writeHead(403, { "content-type": "application/json" });
      return res.end(JSON.stringify({ code: "ERR_POLICY_DENIED", reasons: ["no grant"] }));
    }
    if (path.endsWith("/v1/secrets/HUGE/lease")) {
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify({ value: "x".repeat(MAX_LEASE_RESPONSE_BYTES + 1) }));
    }
    if (path.endsWith("/v1/secrets/TEXT/lease")) {
      res.writeHead(200, { "content-type": "text/plain" });
      return res.end("db-password-value-42");
    }
    res.writeHead(201, { "content-type": "application/json", "x-upstream": "yes" });
    res.end(JSON.stringify(echo));
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

describe("startLeaseRelay", () => {
  let upstream: { server: Server; url: string };
  before(async () => {
    upstream = await startUpstream();
  });
  after(() => new Promise<void>((r) => upstream.server.close(() => r())));

  async function withRelay(base: string, fn: (url: string, leased: string[]) => Promise<void>) {
    const leased: string[] = [];
    const relay = await startLeaseRelay({ upstream: base, onLeasedValue: (v) => leased.push(v) });
    try {
      assert.match(relay.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      await fn(relay.url, leased);
    } finally {
      await relay.close();
    }
  }

  test("a lease answer is passed on unchanged and its value reported first", async () => {
    await withRelay(upstream.url, async (url, leased) => {
      const res = await fetch(`${url}/v1/secrets/DB/lease`, {
        method: "POST",
        headers: { authorization: "Bearer cap", "content-type": "application/json" },
        body: JSON.stringify({ purpose: "migrate" }),
      });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("x-leash"), "1");
      const body = (await res.json()) as Record<string, Record<string, unknown>>;
      assert.equal(body["value"] as unknown, "db-password-value-42");
      assert.equal(body["echo"]?.["auth"], "Bearer cap");
      assert.equal(body["echo"]?.["body"], '{"purpose":"migrate"}');
      assert.deepEqual(leased, ["db-password-value-42"]);
    });
  });

  test("every other request is forwarded unchanged, under the upstream's path prefix", async () => {
    await withRelay(`${upstream.url}/leash/`, async (url, leased) => {
      const res = await fetch(`${url}/v1/anything?x=1`, { method: "PUT", body: "hello" });
      assert.equal(res.status, 201);
      assert.equal(res.headers.get("x-upstream"), "yes");
      assert.deepEqual(await res.json(), {
        method: "PUT",
        url: "/leash/v1/anything?x=1",
        body: "hello",
      });
      const lease = await fetch(`${url}/v1/secrets/DB/lease`, { method: "POST", body: "{}" });
      assert.equal(lease.status, 200);
      assert.deepEqual(leased, ["db-password-value-42"]);
    });
  });

  test("a refused lease passes through with no value to learn", async () => {
    await withRelay(upstream.url, async (url, leased) => {
      const res = await fetch(`${url}/v1/secrets/DENIED/lease`, { method: "POST", body: "{}" });
      assert.equal(res.status, 403);
      assert.equal(((await res.json()) as Record<string, unknown>)["code"], "ERR_POLICY_DENIED");
      assert.deepEqual(leased, []);
    });
  });

  // Fail closed: a lease the relay cannot read is not handed to the child.
  const unreadable = [
    { name: "too large", secret: "HUGE" },
    { name: "not JSON", secret: "TEXT" },
  ];
  for (const c of unreadable) {
    test(`a lease answer that is ${c.name} is refused (ERR_EXEC_RELAY_LEASE_UNREADABLE)`, async () => {
      await withRelay(upstream.url, async (url, leased) => {
        const res = await fetch(`${url}/v1/secrets/${c.secret}/lease`, {
          method: "POST",
          body: "{}",
        });
        assert.equal(res.status, 502);
        const text = await res.text();
        assert.equal(JSON.parse(text).code, "ERR_EXEC_RELAY_LEASE_UNREADABLE");
        assert.ok(!text.includes("db-password-value-42"));
        assert.deepEqual(leased, []);
      });
    });
  }

  /** A request with its path sent byte for byte (fetch would resolve `..` itself). */
  function rawPost(url: string, path: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request(`${url}/`, { method: "POST", path }, (res) => {
        let body = "";
        res.on("data", (c: Buffer) => {
          body += c.toString();
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      req.end("{}");
    });
  }

  // A lease is known by the path leash routes, not the bytes sent: else its value escapes redaction.
  const disguised = [
    { name: "a percent-encoded lease segment", path: "/v1/secrets/DB/%6cease" },
    { name: "a percent-encoded secret name", path: "/v1/secrets/%44%42/lease?x=1" },
    { name: "dot segments", path: "/v1/secrets/x/../DB/./lease" },
    { name: "encoded dot segments", path: "/v1/secrets/x/%2e%2e/DB/lease" },
  ];
  for (const c of disguised) {
    test(`a lease through ${c.name} still has its value reported`, async () => {
      await withRelay(upstream.url, async (url, leased) => {
        const res = await rawPost(url, c.path);
        assert.equal(res.status, 200, res.body);
        assert.deepEqual(leased, ["db-password-value-42"]);
      });
    });
  }

  const invalid = [
    { name: "does not percent-decode", base: "", path: "/v1/secrets/DB/%zzlease" },
    {
      name: "climbs out of the upstream's prefix",
      base: "/leash/",
      path: "/../v1/secrets/DB/lease",
    },
    // Read as a URL, `//host/…` names another server: the capability must never go there.
    {
      name: "names another server (//host/…)",
      base: "",
      path: "//127.0.0.1:9/v1/secrets/DB/lease",
    },
  ];
  for (const c of invalid) {
    test(`a path that ${c.name} is refused (400 ERR_EXEC_RELAY_PATH_INVALID)`, async () => {
      await withRelay(`${upstream.url}${c.base}`, async (url, leased) => {
        const res = await rawPost(url, c.path);
        assert.equal(res.status, 400);
        assert.equal(JSON.parse(res.body).code, "ERR_EXEC_RELAY_PATH_INVALID");
        assert.deepEqual(leased, []);
      });
    });
  }

  test("an unreachable leash answers 502 ERR_EXEC_RELAY_UPSTREAM_UNAVAILABLE", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await withRelay(`http://127.0.0.1:${port}`, async (url) => {
      const res = await fetch(`${url}/v1/token`, { method: "POST", body: "x" });
      assert.equal(res.status, 502);
      assert.equal(
        ((await res.json()) as Record<string, unknown>)["code"],
        "ERR_EXEC_RELAY_UPSTREAM_UNAVAILABLE",
      );
    });
  });
});
