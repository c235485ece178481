/**
 * Real DPoP proofs for tests (RFC 9449): a key pair and a signed proof for one request.
 * Negative tests bend the header or claims through `header` and `claims`.
 */
import { createHash, randomUUID } from "node:crypto";
import {
  CompactSign,
  type CryptoKey,
  exportJWK,
  generateKeyPair,
  type JWK,
  type KeyObject,
} from "jose";

/** A client's DPoP key. */
export interface DpopKeyPair {
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
  readonly alg: string;
}

/** Creates a DPoP key pair (ES256 by default). */
export async function createDpopKeyPair(
  alg: "ES256" | "EdDSA" | "RS256" = "ES256",
): Promise<DpopKeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { privateKey, publicJwk: await exportJWK(publicKey), alg };
}

/** Options for {@link createDpopProof}. */
export interface CreateDpopProofOptions {
  readonly privateKey: CryptoKey | KeyObject;
  readonly publicJwk: JWK;
  readonly method: string;
  readonly url: string;
  /** Adds `ath` = base64url(SHA-256(accessToken)). */
  readonly accessToken?: string;
  /** Default: now. */
  readonly iatSeconds?: number;
  /** Default: a random UUID. */
  readonly jti?: string;
  /** Default ES256 (must fit the key). */
  readonly alg?: string;
  /** Header members merged over `{ typ, alg, jwk }`. */
  readonly header?: Record<string, unknown>;
  /** Claims merged over the defaults; a claim set to `undefined` is removed. */
  readonly claims?: Record<string, unknown>;
}

/** Signs a DPoP proof for one request with a real key. */
export async function createDpopProof(o: CreateDpopProofOptions): Promise<string> {
  const claims: Record<string, unknown> = {
    jti: o.jti ?? randomUUID(),
    htm: o.method,
    htu: o.url,
    iat: o.iatSeconds ?? Math.floor(Date.now() / 1000),
  };
  if (o.accessToken !== undefined) {
    claims["ath"] = createHash("sha256").update(o.accessToken).digest("base64url");
  }
  for (const [k, v] of Object.entries(o.claims ?? {})) {
    if (v === undefined) delete claims[k];
    else claims[k] = v;
  }
  const header = { typ: "dpop+jwt", alg: o.alg ?? "ES256", jwk: o.publicJwk, ...o.header };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader(header as { alg: string })
    .sign(o.privateKey);
}
