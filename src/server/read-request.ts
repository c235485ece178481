import type { Context } from "hono";
import { brokerError, type DpopInput } from "../broker/index.js";

const MAX_BODY_BYTES = 256 * 1024;

/**
 * Reads a JSON or form-encoded body into a plain record, refusing anything over the size
 * limit or not an object. Throws ERR_REQUEST_MALFORMED / ERR_REQUEST_TOO_LARGE (4xx, never 5xx).
 */
export async function readBody(
  c: Context,
  maxBytes = MAX_BODY_BYTES,
): Promise<Record<string, unknown>> {
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const raw = await c.req.raw.arrayBuffer().catch(() => {
    throw brokerError("ERR_REQUEST_MALFORMED", "the request body could not be read");
  });
  if (raw.byteLength > maxBytes) throw tooLarge(maxBytes);
  const text = Buffer.from(raw).toString("utf8");
  const type = c.req.header("content-type") ?? "";
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

/** Form/JSON fields as strings; a non-string value becomes undefined so the use case names it. */
export function toStringParams(body: Record<string, unknown>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(body)) out[k] = typeof v === "string" ? v : undefined;
  return out;
}

/** The credential from `Authorization: Bearer …` or `DPoP …`. */
export function bearerToken(c: Context): string | undefined {
  const h = c.req.header("authorization");
  const m = h ? /^(?:Bearer|DPoP) +([A-Za-z0-9._~+/=-]+)$/i.exec(h) : null;
  return m?.[1];
}

/** The DPoP header and the URL it must name: leash's public URL plus the request path. */
export function dpopInput(c: Context, publicUrl: string): DpopInput {
  return {
    proof: c.req.header("dpop"),
    method: c.req.method,
    url: `${publicUrl}${new URL(c.req.url).pathname}`,
  };
}

const tooLarge = (maxBytes: number) =>
  brokerError("ERR_REQUEST_TOO_LARGE", `the request body is larger than ${maxBytes} bytes`);
