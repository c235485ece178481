import type { IncomingMessage } from "node:http";
import type { Context } from "hono";
import { brokerError, type DpopInput } from "../broker/index.js";
import { LeashError } from "../errors/index.js";

const MAX_BODY_BYTES = 256 * 1024;

/**
 * Reads a JSON or form-encoded body into a plain record, refusing anything over the size
 * limit or not an object. Throws ERR_REQUEST_MALFORMED / ERR_REQUEST_TOO_LARGE (4xx, never 5xx).
 */
export async function readBody(
  c: Context,
  maxBytes = MAX_BODY_BYTES,
): Promise<Record<string, unknown>> {
  const declared = Number(header(c, "content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const text = (await readRawBody(c, maxBytes)).toString("utf8");
  const type = header(c, "content-type") ?? "";
  if (type.startsWith("application/x-www-form-urlencoded"))
    return Object.fromEntries(new URLSearchParams(text));
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw brokerError(
      "ERR_REQUEST_MALFORMED",
      "the body is neither JSON nor form-encoded; send Content-Type: application/json with a JSON object",
    );
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw brokerError("ERR_REQUEST_MALFORMED", "the body must be a JSON object");
  }
  return value as Record<string, unknown>;
}

/**
 * The raw body, read straight from node's IncomingMessage when the server is node's (the
 * Fetch Request wrapper costs ~10% of a decision, and an async iterator over the stream a few
 * % more than its events), stopping as soon as it passes `maxBytes` so a chunked upload
 * can't make leash buffer more than the limit.
 */
async function readRawBody(c: Context, maxBytes: number): Promise<Buffer> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming) return readIncoming(incoming, maxBytes);
  const stream: AsyncIterable<Uint8Array> | null = c.req.raw.body;
  if (!stream) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      size += chunk.byteLength;
      if (size > maxBytes) throw tooLarge(maxBytes);
      chunks.push(Buffer.from(chunk));
    }
  } catch (err) {
    if (err instanceof LeashError) throw err;
    throw unreadable();
  }
  return Buffer.concat(chunks, size);
}

function readIncoming(incoming: IncomingMessage, maxBytes: number): Promise<Buffer> {
  if (incoming.readableEnded) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (err: LeashError) => {
      incoming.off("data", onData);
      // As leaving the stream's async iterator early did: nothing more is read.
      incoming.destroy();
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > maxBytes) fail(tooLarge(maxBytes));
      else chunks.push(chunk);
    };
    incoming.on("data", onData);
    incoming.once("end", () => resolve(Buffer.concat(chunks, size)));
    incoming.once("error", () => fail(unreadable()));
  });
}

/**
 * A request header (lower-case name), read from node's IncomingMessage when there is one:
 * the Fetch `Headers` object Hono builds on the first lookup cost ~3 % of a decision.
 * Repeated headers are joined with ", " as `Headers.get` joins them, so a request with two
 * Authorization headers matches no credential either way.
 */
function header(c: Context, name: string): string | undefined {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming) return c.req.header(name);
  return incoming.headersDistinct[name]?.join(", ");
}

/** Form/JSON fields as strings; a non-string value becomes undefined so the use case names it. */
export function toStringParams(body: Record<string, unknown>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(body)) out[k] = typeof v === "string" ? v : undefined;
  return out;
}

/** The credential from `Authorization: Bearer …` or `DPoP …`. */
export function bearerToken(c: Context): string | undefined {
  const h = header(c, "authorization");
  const m = h ? /^(?:Bearer|DPoP) +([A-Za-z0-9._~+/=-]+)$/i.exec(h) : null;
  return m?.[1];
}

/**
 * The DPoP header and the URL it must name: leash's public URL plus the request path. The
 * URL is only built when there is a proof to check it against (most requests carry none).
 */
export function dpopInput(c: Context, publicUrl: string): DpopInput {
  const proof = header(c, "dpop");
  return {
    proof,
    method: c.req.method,
    url: proof ? `${publicUrl}${new URL(c.req.url).pathname}` : "",
  };
}

const unreadable = () => brokerError("ERR_REQUEST_MALFORMED", "the request body could not be read");
const tooLarge = (maxBytes: number) =>
  brokerError("ERR_REQUEST_TOO_LARGE", `the request body is larger than ${maxBytes} bytes`);
