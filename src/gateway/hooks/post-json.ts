import { connect as netConnect, type Socket } from "node:net";

/** An HTTP answer: status and body text. */
export interface HttpReply {
  status: number;
  body: string;
}

const MAX_REPLY_BYTES = 1024 * 1024;

/**
 * POSTs one JSON body and reads the whole answer, as HTTP/1.1 with `Connection: close`
 * written straight onto a socket (node:net, or node:tls for `https:`). A hook process makes
 * exactly one request and exits, and node:http costs ~5 ms of its start-up (loading it and
 * building a ClientRequest) for nothing this needs. Rejects on a network error, a timeout,
 * an answer over 1 MiB or one that is not HTTP; the message never holds a header value.
 */
export async function postJson(
  url: URL,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<HttpReply> {
  for (const value of Object.values(headers))
    if (/[\r\n]/.test(value)) throw new Error("a header value holds a line break");
  const socket = await open(url);
  const payload = Buffer.from(body, "utf8");
  const head = [
    `POST ${url.pathname}${url.search} HTTP/1.1`,
    `host: ${url.host}`,
    "content-type: application/json",
    `content-length: ${payload.length}`,
    "connection: close",
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (message: string) => {
      socket.destroy();
      reject(new Error(message));
    };
    socket.setTimeout(timeoutMs, () => fail(`no answer within ${timeoutMs} ms`));
    socket.on("error", (err) => fail(err.message));
    socket.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_REPLY_BYTES) fail("the answer is too large");
      else chunks.push(c);
    });
    socket.on("end", () => {
      try {
        resolve(parseHttpReply(Buffer.concat(chunks)));
      } catch (err) {
        fail((err as Error).message);
      }
    });
    // write, not end: node's HTTP server aborts a request whose client half-closes first.
    // `connection: close` makes the server close once it has answered.
    socket.write(Buffer.concat([Buffer.from(`${head.join("\r\n")}\r\n\r\n`, "latin1"), payload]));
  });
}

async function open(url: URL): Promise<Socket> {
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (url.protocol === "http:") return netConnect({ host, port });
  if (url.protocol !== "https:") throw new Error(`${url.protocol} is not http: or https:`);
  // node:tls costs a few ms to load: only when leash is reached over TLS. It verifies the
  // server's certificate against Node's CA store (plus NODE_EXTRA_CA_CERTS) by default.
  const { connect } = await import("node:tls");
  return connect({ host, port, ...(isIp(host) ? {} : { servername: host }) });
}

const isIp = (host: string) => /^[\d.]+$/.test(host) || host.includes(":");

/** Parses a complete HTTP/1.1 answer read until the server closed: status line, headers, body. */
export function parseHttpReply(raw: Buffer): HttpReply {
  const end = raw.indexOf("\r\n\r\n");
  if (end < 0) throw new Error("the answer is not HTTP (no end of headers)");
  const lines = raw.subarray(0, end).toString("latin1").split("\r\n");
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? "");
  if (!status) throw new Error("the answer is not HTTP (no status line)");
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon > 0)
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  let body = raw.subarray(end + 4);
  if (/\bchunked\b/i.test(headers.get("transfer-encoding") ?? "")) body = dechunk(body);
  else if (headers.has("content-length")) {
    const length = Number(headers.get("content-length"));
    if (!Number.isInteger(length) || length < 0 || length > body.length)
      throw new Error("the answer ended before its content-length");
    body = body.subarray(0, length);
  }
  return { status: Number(status[1]), body: body.toString("utf8") };
}

/** Decodes a chunked body (RFC 9112 §7.1); trailers are ignored. */
function dechunk(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = raw.indexOf("\r\n", at);
    if (eol < 0) throw new Error("the answer ended inside a chunk header");
    const size = Number.parseInt(raw.subarray(at, eol).toString("latin1").split(";")[0] ?? "", 16);
    if (!Number.isInteger(size) || size < 0) throw new Error("the answer has a bad chunk size");
    if (size === 0) return Buffer.concat(parts);
    const start = eol + 2;
    if (start + size > raw.length) throw new Error("the answer ended inside a chunk");
    parts.push(raw.subarray(start, start + size));
    at = start + size + 2;
  }
}
