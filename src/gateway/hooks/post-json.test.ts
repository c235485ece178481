import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { createServer as createNetServer, type Server as NetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { postJson } from "./post-json.js";

type Listening = Server | NetServer;

async function listen<T extends Listening>(server: T): Promise<{ server: T; url: string }> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  return { server, url: `127.0.0.1:${address.port}` };
}

const close = (server: Listening) => new Promise<void>((r) => server.close(() => r()));

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** A raw TCP server that answers every connection with `answer` (or never, when undefined). */
async function rawServer(answer: string | undefined) {
  return listen(
    createNetServer((socket) => {
      socket.on("error", () => {});
      socket.once("data", () => {
        if (answer !== undefined) socket.end(answer);
      });
    }),
  );
}

describe("postJson", () => {
  it("sends one JSON POST with its headers and reads a content-length answer", async () => {
    let seen: Record<string, unknown> = {};
    const { server, url } = await listen(
      createHttpServer(async (req, res) => {
        seen = {
          method: req.method,
          url: req.url,
          headers: req.headers,
          body: await readBody(req),
        };
        res.writeHead(200, { "content-type": "application/json" }).end('{"ok":"✓"}');
      }),
    );
    try {
      const reply = await postJson(
        new URL(`http://${url}/v1/authorize/batch?x=1`),
        { authorization: "Bearer cap" },
        '{"requests":["é"]}',
        5_000,
      );
      assert.deepEqual(reply, { status: 200, body: '{"ok":"✓"}' });
      assert.equal(seen["method"], "POST");
      assert.equal(seen["url"], "/v1/authorize/batch?x=1");
      const headers = seen["headers"] as IncomingMessage["headers"];
      assert.equal(headers.authorization, "Bearer cap");
      assert.equal(headers["content-type"], "application/json");
      assert.equal(seen["body"], '{"requests":["é"]}');
    } finally {
      await close(server);
    }
  });

  it("decodes a chunked answer and keeps the status of a refusal", async () => {
    const { server, url } = await listen(
      createHttpServer((_req, res) => {
        res.writeHead(401, { "content-type": "application/json" });
        res.write('{"code":');
        setImmediate(() => res.end('"ERR_CAPABILITY_INVALID"}'));
      }),
    );
    try {
      const reply = await postJson(new URL(`http://${url}/`), {}, "{}", 5_000);
      assert.deepEqual(reply, { status: 401, body: '{"code":"ERR_CAPABILITY_INVALID"}' });
    } finally {
      await close(server);
    }
  });

  const broken: [string, string, RegExp][] = [
    ["an answer that is not HTTP", "SSH-2.0-OpenSSH\r\n", /not HTTP/],
    ["an answer without an end of headers", "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n", /not HTTP/],
    [
      "an answer shorter than its content-length",
      "HTTP/1.1 200 OK\r\ncontent-length: 50\r\n\r\n{}",
      /content-length/,
    ],
    [
      "a chunked answer cut inside a chunk",
      "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n10\r\n{}",
      /inside a chunk/,
    ],
  ];
  for (const [name, answer, message] of broken)
    it(`rejects ${name}`, async () => {
      const { server, url } = await rawServer(answer);
      try {
        await assert.rejects(postJson(new URL(`http://${url}/`), {}, "{}", 5_000), message);
      } finally {
        await close(server);
      }
    });

  it("rejects when no answer comes within the timeout", async () => {
    const { server, url } = await rawServer(undefined);
    try {
      await assert.rejects(postJson(new URL(`http://${url}/`), {}, "{}", 50), /within 50 ms/);
    } finally {
      await close(server);
    }
  });

  it("rejects a closed port", async () => {
    const { server, url } = await rawServer(undefined);
    await close(server);
    await assert.rejects(postJson(new URL(`http://${url}/`), {}, "{}", 5_000), /ECONNREFUSED/);
  });

  it("refuses a header value with a line break, without connecting, and never echoes it", async () => {
    await assert.rejects(
      postJson(
        new URL("http://127.0.0.1:9/"),
        { authorization: "Bearer a\r\nx-evil: 1" },
        "{}",
        50,
      ),
      (err: Error) => /line break/.test(err.message) && !err.message.includes("evil"),
    );
  });

  describe("over https", () => {
    const dir = mkdtempSync(join(tmpdir(), "leash-post-json-"));
    after(() => rmSync(dir, { recursive: true, force: true }));

    it("verifies the server's certificate: a self-signed one is refused", async () => {
      const key = join(dir, "key.pem");
      const cert = join(dir, "cert.pem");
      const made = spawnSync("openssl", [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-subj",
        "/CN=localhost",
        "-days",
        "1",
        "-keyout",
        key,
        "-out",
        cert,
      ]);
      assert.equal(made.status, 0, String(made.stderr));
      const { server, url } = await listen(
        createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) =>
          res.end("{}"),
        ),
      );
      try {
        await assert.rejects(
          postJson(new URL(`https://localhost:${url.split(":")[1]}/`), {}, "{}", 5_000),
          /self-signed|self signed/,
        );
      } finally {
        await close(server);
      }
    });
  });
});
