import { type CryptoKey, compactVerify } from "jose";
import type { Clock } from "../clock/index.js";
import { sha256Hex } from "../encoding/index.js";
import { createJwksCache, type JwksCache, MAX_JWKS_COOLDOWN_MS } from "./create-jwks-cache.js";
import { identityError } from "./identity-errors.js";
import { ASYMMETRIC_ALGORITHMS, checkIssuerConfig, type IssuerConfig } from "./issuer-config.js";
import { parseCompactJwt } from "./parse-compact-jwt.js";
import { readOptionalString } from "./read-claims.js";
import { toWorkloadIdentity } from "./to-workload-identity.js";
import { verifyAudience, verifyTimeClaims } from "./verify-registered-claims.js";
import type { VerifiedOidcToken } from "./workload-identity.js";

/** The most clock skew leash tolerates on `exp`/`nbf`/`iat`. */
export const MAX_SKEW_SECONDS = 60;

export interface OidcVerifierOptions {
  readonly issuers: readonly IssuerConfig[];
  readonly clock: Clock;
  /** Defaults to the global fetch. */
  readonly fetch?: typeof fetch;
  /** Unknown-`kid` refetch cooldown; default and maximum 30 000. */
  readonly jwksCooldownMs?: number;
  /** Default and maximum 60. */
  readonly maxSkewSeconds?: number;
}

/** Verifies CI OIDC tokens against the configured issuers. */
export interface OidcVerifier {
  /**
   * Verifies `token` and returns the normalized identity.
   * @throws a LeashError with an `ERR_IDENTITY_*` code (see docs/errors/identity.md)
   */
  verify(token: string): Promise<VerifiedOidcToken>;
}

interface TrustedIssuer {
  readonly config: IssuerConfig;
  readonly keys: JwksCache;
}

/**
 * Creates the OIDC verifier: checks every issuer config at once, then verifies tokens in a
 * fixed order — size, shape, algorithm, issuer, key, signature, then claims. Nothing read from
 * the token is trusted before the signature verifies; `iss` only picks which keys to use.
 * @throws ERR_IDENTITY_ISSUER_CONFIG, ERR_IDENTITY_DEFAULT_AUDIENCE for bad configuration
 */
export function createOidcVerifier(opts: OidcVerifierOptions): OidcVerifier {
  const cooldownMs = opts.jwksCooldownMs ?? MAX_JWKS_COOLDOWN_MS;
  const maxSkewSeconds = opts.maxSkewSeconds ?? MAX_SKEW_SECONDS;
  checkLimits(cooldownMs, maxSkewSeconds);
  const fetchImpl = opts.fetch ?? globalThis.fetch;
  const byUrl = new Map<string, TrustedIssuer>();
  for (const config of opts.issuers) {
    checkIssuerConfig(config);
    if (byUrl.has(config.url)) {
      throw identityError(
        "ERR_IDENTITY_ISSUER_CONFIG",
        `issuer ${config.url} is configured twice.`,
      );
    }
    const keys = createJwksCache({
      issuer: config,
      clock: opts.clock,
      fetch: fetchImpl,
      cooldownMs,
    });
    byUrl.set(config.url, { config, keys });
  }
  return {
    async verify(token) {
      const { header, payload } = parseCompactJwt(token);
      const alg = readAlg(header);
      const issuer = selectIssuer(byUrl, payload);
      if (!issuer.config.algorithms.includes(alg)) throw algNotAllowed(alg);
      const key = await issuer.keys.getKey(readKid(header), alg);
      await verifySignature(token, key, alg);
      const expiresAtMs = verifyTimeClaims(payload, opts.clock.now(), maxSkewSeconds);
      verifyAudience(payload, issuer.config.audience, issuer.config);
      const identity = toWorkloadIdentity(payload, issuer.config);
      const tokenSha256 = sha256Hex(token);
      const jti = readOptionalString(payload, "jti");
      // Without a jti, the signed part names the token: the signature's text can be varied
      // without breaking it (spare bits in its last base64url character; ECDSA's (r, n−s)),
      // so a hash of the whole text would let a spent token be exchanged again.
      const replayKey = jti === undefined || jti === "" ? sha256Hex(signedPart(token)) : jti;
      return { identity, tokenSha256, replayKey, expiresAtMs };
    },
  };
}

/** `header.payload`: what the signature covers, byte for byte. */
function signedPart(token: string): string {
  return token.slice(0, token.lastIndexOf("."));
}

function checkLimits(cooldownMs: number, maxSkewSeconds: number): void {
  if (!(cooldownMs >= 0 && cooldownMs <= MAX_JWKS_COOLDOWN_MS)) {
    throw identityError(
      "ERR_IDENTITY_ISSUER_CONFIG",
      `the JWKS cooldown must be between 0 and ${MAX_JWKS_COOLDOWN_MS} ms.`,
    );
  }
  if (!(maxSkewSeconds >= 0 && maxSkewSeconds <= MAX_SKEW_SECONDS)) {
    throw identityError(
      "ERR_IDENTITY_ISSUER_CONFIG",
      `the clock skew must be between 0 and ${MAX_SKEW_SECONDS} s.`,
    );
  }
}

function readAlg(header: Readonly<Record<string, unknown>>): string {
  const alg = header["alg"];
  if (typeof alg !== "string") {
    throw identityError("ERR_IDENTITY_TOKEN_MALFORMED", "the OIDC token header has no alg.");
  }
  // `none` and HS* (e.g. HMAC keyed with the issuer's public key) never reach a key lookup.
  if (!ASYMMETRIC_ALGORITHMS.has(alg)) throw algNotAllowed(alg);
  // Extensions marked critical are ones leash does not implement: refuse rather than ignore.
  if (header["crit"] !== undefined) {
    throw identityError("ERR_IDENTITY_TOKEN_MALFORMED", "the OIDC token header has crit.");
  }
  return alg;
}

function readKid(header: Readonly<Record<string, unknown>>): string | undefined {
  const kid = header["kid"];
  if (kid === undefined || typeof kid === "string") return kid;
  throw identityError("ERR_IDENTITY_TOKEN_MALFORMED", "the OIDC token header kid is not a string.");
}

function selectIssuer(
  byUrl: ReadonlyMap<string, TrustedIssuer>,
  payload: Readonly<Record<string, unknown>>,
): TrustedIssuer {
  const iss = payload["iss"];
  if (iss === undefined) {
    throw identityError("ERR_IDENTITY_CLAIM_MISSING", `the OIDC token has no "iss" claim.`, {
      claim: "iss",
    });
  }
  if (typeof iss !== "string") {
    throw identityError("ERR_IDENTITY_CLAIM_TYPE", `the OIDC token's "iss" is not a string.`, {
      claim: "iss",
    });
  }
  const issuer = byUrl.get(iss);
  if (issuer === undefined) {
    throw identityError(
      "ERR_IDENTITY_UNKNOWN_ISSUER",
      "the OIDC token's issuer is not one leash trusts; check `iss` against the config.",
      { iss: iss.slice(0, 200) },
    );
  }
  return issuer;
}

async function verifySignature(token: string, key: CryptoKey, alg: string): Promise<void> {
  try {
    await compactVerify(token, key, { algorithms: [alg] });
  } catch (err) {
    throw identityError(
      "ERR_IDENTITY_BAD_SIGNATURE",
      "the OIDC token's signature does not verify with the issuer's key.",
      undefined,
      err,
    );
  }
}

function algNotAllowed(alg: string) {
  return identityError(
    "ERR_IDENTITY_ALG_NOT_ALLOWED",
    "the OIDC token's alg is not one this issuer is trusted to use.",
    { alg: alg.slice(0, 20) },
  );
}
