import { type CryptoKey, importJWK, type JWK } from "jose";
import { identityError } from "./identity-errors.js";

/** One verification key an issuer publishes, with its imports kept per algorithm. */
export interface JwkEntry {
  readonly kid: string | undefined;
  readonly alg: string | undefined;
  readonly jwk: JWK;
  /** Canonical form of the public members: an unchanged key keeps its imported CryptoKey. */
  readonly fingerprint: string;
  readonly imported: Map<string, Promise<CryptoKey>>;
}

const PUBLIC_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  RSA: ["n", "e"],
  EC: ["crv", "x", "y"],
  OKP: ["crv", "x"],
};

/**
 * Turns a JWKS document into verification keys. Skips what must never verify a token:
 * symmetric (`oct`) keys, encryption keys, keys carrying private members, malformed keys.
 * Entries whose public members did not change are carried over from `previous`.
 */
export function toJwkEntries(
  doc: Record<string, unknown>,
  previous: readonly JwkEntry[],
): JwkEntry[] | undefined {
  const keys = doc["keys"];
  if (!Array.isArray(keys)) return undefined;
  const byFingerprint = new Map(previous.map((e) => [e.fingerprint, e]));
  const out: JwkEntry[] = [];
  for (const raw of keys) {
    const entry = toJwkEntry(raw);
    if (entry === undefined) continue;
    out.push(byFingerprint.get(entry.fingerprint) ?? entry);
  }
  return out;
}

function toJwkEntry(raw: unknown): JwkEntry | undefined {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return undefined;
  const k = raw as Record<string, unknown>;
  const kty = k["kty"];
  const members = typeof kty === "string" ? PUBLIC_MEMBERS[kty] : undefined;
  if (members === undefined || "d" in k) return undefined;
  if (k["use"] !== undefined && k["use"] !== "sig") return undefined;
  const kid = k["kid"];
  const alg = k["alg"];
  if (
    (kid !== undefined && typeof kid !== "string") ||
    (alg !== undefined && typeof alg !== "string")
  )
    return undefined;
  const jwk: Record<string, string> = { kty: kty as string };
  for (const m of members) {
    const v = k[m];
    if (typeof v !== "string") return undefined;
    jwk[m] = v;
  }
  const fingerprint = JSON.stringify([kid, alg, jwk]);
  return { kid, alg, jwk, fingerprint, imported: new Map() };
}

/** True when a key of this type and curve can carry `alg` signatures. */
export function isKeyForAlg(jwk: JWK, alg: string): boolean {
  if (/^(RS|PS)(256|384|512)$/.test(alg)) return jwk.kty === "RSA";
  if (alg === "ES256") return jwk.kty === "EC" && jwk.crv === "P-256";
  if (alg === "ES384") return jwk.kty === "EC" && jwk.crv === "P-384";
  if (alg === "ES512") return jwk.kty === "EC" && jwk.crv === "P-521";
  if (alg === "EdDSA" || alg === "Ed25519") return jwk.kty === "OKP" && jwk.crv === "Ed25519";
  return false;
}

/**
 * The CryptoKey of `entry` for `alg`, imported once and kept (importing per request is the
 * costliest part of verification).
 * @throws ERR_IDENTITY_BAD_SIGNATURE when the key cannot carry `alg` signatures
 */
export function importJwkEntry(entry: JwkEntry, alg: string): Promise<CryptoKey> {
  const cached = entry.imported.get(alg);
  if (cached !== undefined) return cached;
  if ((entry.alg !== undefined && entry.alg !== alg) || !isKeyForAlg(entry.jwk, alg)) {
    return Promise.reject(
      identityError("ERR_IDENTITY_BAD_SIGNATURE", `the issuer's key does not sign with ${alg}.`),
    );
  }
  const imported = (importJWK(entry.jwk, alg) as Promise<CryptoKey>).catch((err: unknown) => {
    entry.imported.delete(alg);
    throw identityError(
      "ERR_IDENTITY_BAD_SIGNATURE",
      "the issuer's key could not be imported.",
      undefined,
      err,
    );
  });
  entry.imported.set(alg, imported);
  return imported;
}
