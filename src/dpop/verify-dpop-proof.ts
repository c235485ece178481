import { createHash } from "node:crypto";
import { compactVerify, decodeProtectedHeader, importJWK, type JWK } from "jose";
import type { Clock } from "../clock/index.js";
import { computeJwkThumbprint, toPublicJwk } from "./compute-jwk-thumbprint.js";
import { dpopError } from "./dpop-errors.js";

/** A proof above this is refused before parsing (a P-256 proof is ~600 bytes, RSA-4096 ~1.5 KiB). */
export const MAX_DPOP_PROOF_BYTES = 8 * 1024;
/** How old a proof may be by default. */
export const DPOP_MAX_AGE_SECONDS = 60;
/** How far in the future a proof's `iat` may be (clock drift between client and leash). */
export const DPOP_MAX_SKEW_SECONDS = 10;

/** Asymmetric only: `none` and HS* can never prove possession of a key. */
export const DPOP_ALGORITHMS: ReadonlySet<string> = new Set([
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
  "Ed25519",
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
]);

export interface DpopProofOptions {
  /** The request's HTTP method. */
  readonly method: string;
  /** The request's URL as the client addressed it (external scheme and host); query ignored. */
  readonly url: string;
  readonly clock: Clock;
  /** When given, the proof's `ath` must be base64url(SHA-256(accessToken)). */
  readonly accessToken?: string;
  readonly maxAgeSeconds?: number;
  readonly maxSkewSeconds?: number;
  /** When given, the proof's key thumbprint must equal it (the capability's `cnf.jkt`). */
  readonly expectedJkt?: string;
}

/** What a verified proof tells: the key it proves (`jkt`) and its `jti` for the replay check. */
export interface VerifiedDpopProof {
  readonly jkt: string;
  readonly jti: string;
  readonly iatSeconds: number;
}

/**
 * Verifies an RFC 9449 DPoP proof for one request. The caller must still reject a replayed
 * `jti` (with its store) for the proof's lifetime.
 * @throws ERR_DPOP_PROOF_INVALID, ERR_DPOP_PROOF_MISMATCH, ERR_DPOP_PROOF_STALE
 */
export async function verifyDpopProof(
  proof: string,
  opts: DpopProofOptions,
): Promise<VerifiedDpopProof> {
  const { alg, jwk } = readProofHeader(proof);
  const claims = await verifyProofSignature(proof, jwk, alg);
  const jti = claims["jti"];
  if (typeof jti !== "string" || jti === "" || jti.length > 256) {
    throw invalid("the DPoP proof has no usable jti.");
  }
  verifyRequestBinding(claims, opts.method, opts.url);
  const iatSeconds = verifyProofAge(claims, opts);
  if (opts.accessToken !== undefined) verifyAccessTokenHash(claims, opts.accessToken);
  const jkt = await computeJwkThumbprint(jwk);
  if (opts.expectedJkt !== undefined && jkt !== opts.expectedJkt) {
    throw mismatch("the DPoP proof is signed by another key than the token is bound to.");
  }
  return { jkt, jti, iatSeconds };
}

function readProofHeader(proof: string): { alg: string; jwk: JWK } {
  if (typeof proof !== "string" || proof.length > MAX_DPOP_PROOF_BYTES) {
    throw invalid("the DPoP proof is missing or too large.");
  }
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(proof) as Record<string, unknown>;
  } catch (err) {
    throw invalid("the DPoP proof is not a compact JWS.", err);
  }
  const typ = header["typ"];
  if (typeof typ !== "string" || typ.toLowerCase() !== "dpop+jwt") {
    throw invalid('the DPoP proof typ is not "dpop+jwt".');
  }
  const alg = header["alg"];
  if (typeof alg !== "string" || !DPOP_ALGORITHMS.has(alg)) {
    throw invalid("the DPoP proof alg is not an allowed asymmetric algorithm.");
  }
  return { alg, jwk: toPublicJwk(header["jwk"]) };
}

async function verifyProofSignature(
  proof: string,
  jwk: JWK,
  alg: string,
): Promise<Record<string, unknown>> {
  let payload: Uint8Array;
  try {
    const key = await importJWK(jwk, alg);
    ({ payload } = await compactVerify(proof, key, { algorithms: [alg] }));
  } catch (err) {
    throw invalid("the DPoP proof signature does not verify with its jwk.", err);
  }
  let claims: unknown;
  try {
    claims = JSON.parse(new TextDecoder().decode(payload));
  } catch (err) {
    throw invalid("the DPoP proof payload is not JSON.", err);
  }
  if (claims === null || typeof claims !== "object" || Array.isArray(claims)) {
    throw invalid("the DPoP proof payload is not a JSON object.");
  }
  return claims as Record<string, unknown>;
}

function verifyRequestBinding(claims: Record<string, unknown>, method: string, url: string): void {
  const htm = claims["htm"];
  const htu = claims["htu"];
  if (typeof htm !== "string" || typeof htu !== "string") {
    throw invalid("the DPoP proof has no htm or htu.");
  }
  if (htm !== method) throw mismatch("the DPoP proof is for another HTTP method.");
  const proofTarget = toHtu(htu);
  if (proofTarget === undefined) throw invalid("the DPoP proof htu is not a URL.");
  if (proofTarget !== toHtu(url)) throw mismatch("the DPoP proof is for another URL.");
}

/** Scheme and host lowercased, default port dropped, path as sent; query and fragment ignored. */
function toHtu(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (u.protocol !== "https:" && u.protocol !== "http:") return undefined;
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return undefined;
  }
}

function verifyProofAge(claims: Record<string, unknown>, opts: DpopProofOptions): number {
  const iat = claims["iat"];
  if (typeof iat !== "number" || !Number.isFinite(iat)) {
    throw invalid("the DPoP proof has no numeric iat.");
  }
  const now = opts.clock.now() / 1000;
  const maxAge = opts.maxAgeSeconds ?? DPOP_MAX_AGE_SECONDS;
  if (now - iat > maxAge) {
    throw dpopError(
      "ERR_DPOP_PROOF_STALE",
      `the DPoP proof is older than ${maxAge}s; make a new one.`,
    );
  }
  if (iat - now > (opts.maxSkewSeconds ?? DPOP_MAX_SKEW_SECONDS)) {
    throw dpopError("ERR_DPOP_PROOF_STALE", "the DPoP proof is dated in the future; check clocks.");
  }
  return iat;
}

function verifyAccessTokenHash(claims: Record<string, unknown>, accessToken: string): void {
  const ath = claims["ath"];
  if (typeof ath !== "string") throw invalid("the DPoP proof has no ath for the access token.");
  const expected = createHash("sha256").update(accessToken).digest("base64url");
  if (ath !== expected) throw mismatch("the DPoP proof is for another access token.");
}

function invalid(message: string, cause?: unknown) {
  return dpopError("ERR_DPOP_PROOF_INVALID", message, undefined, cause);
}

function mismatch(message: string) {
  return dpopError("ERR_DPOP_PROOF_MISMATCH", message);
}
