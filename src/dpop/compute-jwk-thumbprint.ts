import { calculateJwkThumbprint, type JWK } from "jose";
import { dpopError } from "./dpop-errors.js";

/** Members of a public JWK per key type; anything else is dropped before use. */
const PUBLIC_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  RSA: ["e", "n"],
  EC: ["crv", "x", "y"],
  OKP: ["crv", "x"],
};

/** Members only a private or symmetric key has: a proof carrying one is refused. */
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

/**
 * Reduces an untrusted `jwk` to its public members.
 * @throws ERR_DPOP_PROOF_INVALID for a non-object, a symmetric or private key, missing members
 */
export function toPublicJwk(value: unknown): JWK {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw dpopError("ERR_DPOP_PROOF_INVALID", "the DPoP proof header has no jwk object.");
  }
  const raw = value as Record<string, unknown>;
  const kty = raw["kty"];
  const members = typeof kty === "string" ? PUBLIC_MEMBERS[kty] : undefined;
  if (members === undefined) {
    throw dpopError("ERR_DPOP_PROOF_INVALID", "the DPoP proof jwk is not an RSA, EC or OKP key.");
  }
  if (PRIVATE_MEMBERS.some((m) => m in raw)) {
    throw dpopError("ERR_DPOP_PROOF_INVALID", "the DPoP proof jwk holds private key material.");
  }
  const jwk: Record<string, string> = { kty: kty as string };
  for (const m of members) {
    const v = raw[m];
    if (typeof v !== "string" || v === "") {
      throw dpopError("ERR_DPOP_PROOF_INVALID", `the DPoP proof jwk has no "${m}".`);
    }
    jwk[m] = v;
  }
  return jwk;
}

/**
 * The RFC 7638 SHA-256 thumbprint of a public JWK, base64url: the `jkt` a capability is bound to.
 * @throws ERR_DPOP_PROOF_INVALID when the key is not a usable public JWK
 */
export async function computeJwkThumbprint(jwk: unknown): Promise<string> {
  const publicJwk = toPublicJwk(jwk);
  try {
    return await calculateJwkThumbprint(publicJwk, "sha256");
  } catch (err) {
    throw dpopError("ERR_DPOP_PROOF_INVALID", "the DPoP key has no thumbprint.", undefined, err);
  }
}
