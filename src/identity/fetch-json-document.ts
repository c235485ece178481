import { identityError } from "./identity-errors.js";

/** Discovery documents and JWKS above this are refused: a real JWKS is a few KiB. */
export const MAX_DOCUMENT_BYTES = 256 * 1024;
/** A slow issuer must not hold exchanges open. */
export const FETCH_TIMEOUT_MS = 5_000;

type Unavailable = (why: string, cause?: unknown) => Error;

/**
 * GETs a JSON object from an issuer. Redirects are refused (they could lead off https); the
 * body is size-capped.
 * @throws ERR_IDENTITY_JWKS_UNAVAILABLE on any network, status, size or JSON failure
 */
export async function fetchJsonDocument(
  fetchImpl: typeof fetch,
  url: string,
  issuerName: string,
): Promise<Record<string, unknown>> {
  const unavailable: Unavailable = (why, cause) =>
    identityError(
      "ERR_IDENTITY_JWKS_UNAVAILABLE",
      `the keys of issuer "${issuerName}" could not be fetched (${why}); try again shortly.`,
      { issuer: issuerName, url },
      cause,
    );
  let res: Response;
  try {
    res = await fetchImpl(url, {
      redirect: "error",
      headers: { accept: "application/json" },
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
  } catch (err) {
    throw unavailable("network error", err);
  }
  const value = await readJsonBody(res, unavailable);
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw unavailable("not a JSON object");
  }
  return value as Record<string, unknown>;
}

async function readJsonBody(res: Response, unavailable: Unavailable): Promise<unknown> {
  const declared = Number(res.headers.get("content-length") ?? "0");
  if (!res.ok || declared > MAX_DOCUMENT_BYTES) {
    await res.body?.cancel().catch(() => {});
    throw unavailable(res.ok ? "document too large" : `HTTP ${res.status}`);
  }
  let body: ArrayBuffer;
  try {
    body = await res.arrayBuffer();
  } catch (err) {
    throw unavailable("body could not be read", err);
  }
  if (body.byteLength > MAX_DOCUMENT_BYTES) throw unavailable("document too large");
  try {
    return JSON.parse(new TextDecoder().decode(body));
  } catch (err) {
    throw unavailable("not JSON", err);
  }
}
