import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import { request as httpsRequest } from "node:https";
import type { AddressInfo } from "node:net";
import { type ExecErrorCode, execError } from "./exec-errors.js";

/** A lease answer larger than this is refused: the relay must read it whole to learn the value. */
export const MAX_LEASE_RESPONSE_BYTES = 1024 * 1024;

/** Headers that describe one connection, not the message; never forwarded. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

export interface LeaseRelayOptions {
  /** The real leash, e.g. `https://leash.example.com` (a path prefix is kept). */
  upstream: string;
  /** Called with every secret value leased through the relay, before the child sees it. */
  onLeasedValue: (value: string) => void;
}

export interface LeaseRelay {
  /** `http://127.0.0.1:<port>`, handed to the child as LEASH_URL. */
  url: string;
  close(): Promise<void>;
}

/**
 * Starts a loopback relay in front of leash that forwards every request and response
 * unchanged, except that it reads each `POST /v1/secrets/<name>/lease` answer whole and
 * reports its `value` before passing it on, so the redactors know it before the child does.
 * It adds no credential of its own.
 */
export async function startLeaseRelay(options: LeaseRelayOptions): Promise<LeaseRelay> {
  const upstream = new URL(options.upstream);
  const basePath = upstream.pathname.replace(/\/+$/, "");
  const server = createServer((req, res) => relay(req, res, upstream, basePath, options));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function relay(
  req: IncomingMessage,
  res: ServerResponse,
  upstream: URL,
  basePath: string,
  options: LeaseRelayOptions,
): void {
  const path = req.url ?? "/";
  const target = new URL(basePath + path, upstream.origin);
  // `//host/x` or an absolute-form URL would make `target` another server: the relay would
  // carry the child's capability there. Only leash's own origin is relayed.
  const routed =
    target.origin === upstream.origin ? toRoutedSegments(target.pathname, basePath) : null;
  if (routed === null) {
    req.resume();
    refuse(
      res,
      "ERR_EXEC_RELAY_PATH_INVALID",
      "the request path is not a well-formed path under leash's own URL; send one relative to it",
    );
    return;
  }
  const isLease = req.method === "POST" && isLeasePath(routed);
  const headers = forwardable(req.headers);
  headers["host"] = upstream.host;
  // The relay must read the value; a compressed answer would slip past it.
  if (isLease) headers["accept-encoding"] = "identity";
  const send = upstream.protocol === "https:" ? httpsRequest : httpRequest;
  const outgoing = send(target, { method: req.method, headers }, (answer) =>
    isLease ? relayLease(answer, res, options) : relayStream(answer, res),
  );
  outgoing.on("error", () =>
    refuse(res, "ERR_EXEC_RELAY_UPSTREAM_UNAVAILABLE", "leash is unreachable from the exec relay"),
  );
  req.pipe(outgoing);
}

/**
 * The path leash's router matches, as segments: the forwarded path (dot segments already
 * resolved by URL), under the upstream's prefix, each segment percent-decoded (a decoded
 * `/` splits it too) and empty ones dropped. Null when it leaves the prefix or a segment
 * doesn't decode: such a path is not relayed, since what leash would route it to is unclear.
 */
function toRoutedSegments(pathname: string, basePath: string): string[] | null {
  if (basePath !== "" && pathname !== basePath && !pathname.startsWith(`${basePath}/`)) return null;
  try {
    // No %XX escape holds a `/`: decoding the whole rest splits the same as each segment.
    return decodeURIComponent(pathname.slice(basePath.length))
      .split("/")
      .filter((s) => s !== "");
  } catch {
    return null;
  }
}

/** `/v1/secrets/<name>/lease`; fixed segments compared case-insensitively (a superset). */
function isLeasePath(segments: string[]): boolean {
  const [v1, secrets, name, lease, ...rest] = segments.map((s, i) =>
    i === 2 ? s : s.toLowerCase(),
  );
  return (
    v1 === "v1" &&
    secrets === "secrets" &&
    name !== undefined &&
    lease === "lease" &&
    rest.length === 0
  );
}

function relayStream(answer: IncomingMessage, res: ServerResponse): void {
  res.writeHead(answer.statusCode ?? 502, forwardable(answer.headers));
  answer.pipe(res);
}

function relayLease(
  answer: IncomingMessage,
  res: ServerResponse,
  options: LeaseRelayOptions,
): void {
  const encoding = answer.headers["content-encoding"];
  if (encoding && encoding !== "identity") {
    answer.destroy();
    refuse(res, "ERR_EXEC_RELAY_LEASE_UNREADABLE", "the lease answer was compressed");
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  answer.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_LEASE_RESPONSE_BYTES) {
      answer.destroy();
      return refuse(res, "ERR_EXEC_RELAY_LEASE_UNREADABLE", "the lease answer was too large");
    }
    chunks.push(chunk);
  });
  answer.on("end", () => {
    const body = Buffer.concat(chunks);
    const value = readLeasedValue(body);
    const ok = (answer.statusCode ?? 502) < 300;
    if (ok && value === undefined) {
      return refuse(res, "ERR_EXEC_RELAY_LEASE_UNREADABLE", "the lease answer had no JSON value");
    }
    if (value !== undefined) options.onLeasedValue(value);
    const headers = forwardable(answer.headers);
    headers["content-length"] = String(body.length);
    res.writeHead(answer.statusCode ?? 502, headers);
    res.end(body);
  });
  answer.on("error", () =>
    refuse(res, "ERR_EXEC_RELAY_UPSTREAM_UNAVAILABLE", "leash closed the lease answer early"),
  );
}

function readLeasedValue(body: Buffer): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString("utf8"));
    if (parsed && typeof parsed === "object" && "value" in parsed) {
      const value = (parsed as { value: unknown }).value;
      return typeof value === "string" ? value : undefined;
    }
  } catch {
    // Not JSON: no value to learn. A successful lease without one is refused by the caller.
  }
  return undefined;
}

function forwardable(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

/** Answers the child the way leash answers a refusal; never with the lease body. */
function refuse(res: ServerResponse, code: ExecErrorCode, description: string): void {
  if (res.writableEnded) return;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const err = execError(code, description);
  res.writeHead(err.status, { "content-type": "application/json" });
  res.end(JSON.stringify({ error: err.error, error_description: description, code }));
}
