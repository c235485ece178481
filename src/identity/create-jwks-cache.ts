import type { CryptoKey } from "jose";
import type { Clock } from "../clock/index.js";
import { fetchJsonDocument } from "./fetch-json-document.js";
import { identityError } from "./identity-errors.js";
import { type IssuerConfig, isAllowedIssuerUrl } from "./issuer-config.js";
import { importJwkEntry, isKeyForAlg, type JwkEntry, toJwkEntries } from "./to-jwk-entries.js";

/** Upper bound on the unknown-`kid` refetch cooldown: a key the issuer adds is accepted within it. */
export const MAX_JWKS_COOLDOWN_MS = 30_000;
/** Keys are refreshed this often even when every `kid` is known, so removed keys stop verifying. */
export const JWKS_MAX_AGE_MS = 10 * 60_000;
/** After a failed first load, wait this long (or the cooldown, if shorter) before asking again. */
export const JWKS_FAILURE_BACKOFF_MS = 5_000;

/** The verification keys of one issuer. */
export interface JwksCache {
  /**
   * The key for `kid` (or the only key fitting `alg` when the token has no `kid`).
   * @throws ERR_IDENTITY_UNKNOWN_KID, ERR_IDENTITY_JWKS_UNAVAILABLE, ERR_IDENTITY_BAD_SIGNATURE
   */
  getKey(kid: string | undefined, alg: string): Promise<CryptoKey>;
}

interface JwksCacheOptions {
  readonly issuer: IssuerConfig;
  readonly clock: Clock;
  readonly fetch: typeof fetch;
  readonly cooldownMs: number;
}

/**
 * Creates the key cache of one issuer: discovery once, JWKS cached, refetched on an unknown
 * `kid` at most once per cooldown (injected clock), one in-flight fetch shared by all callers.
 * Only the configured or discovered JWKS is ever fetched; token headers (`jku`, `x5u`, `jwk`)
 * never name a URL or key here.
 */
export function createJwksCache(opts: JwksCacheOptions): JwksCache {
  const { issuer, clock, cooldownMs } = opts;
  const backoffMs = Math.min(cooldownMs, JWKS_FAILURE_BACKOFF_MS);
  let entries: JwkEntry[] | undefined;
  let fetchedAtMs = Number.NEGATIVE_INFINITY;
  let attemptedAtMs = Number.NEGATIVE_INFINITY;
  let inflight: Promise<void> | undefined;
  let discoveredJwksUri: string | undefined;

  async function resolveJwksUri(): Promise<string> {
    if (issuer.jwksUri !== undefined) return issuer.jwksUri;
    discoveredJwksUri ??= await discoverJwksUri(opts.fetch, issuer);
    return discoveredJwksUri;
  }

  async function loadOnce(): Promise<void> {
    attemptedAtMs = clock.now();
    try {
      const doc = await fetchJsonDocument(opts.fetch, await resolveJwksUri(), issuer.name);
      const next = toJwkEntries(doc, entries ?? []);
      if (next === undefined) throw unavailable(issuer, "the JWKS has no keys array");
      entries = next;
      fetchedAtMs = clock.now();
    } catch (err) {
      discoveredJwksUri = undefined; // the issuer may have moved its keys: rediscover next time
      throw err;
    }
  }

  function load(): Promise<void> {
    inflight ??= loadOnce().finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  async function ensureLoaded(): Promise<void> {
    const now = clock.now();
    if (entries === undefined) {
      if (inflight === undefined && now - attemptedAtMs < backoffMs) {
        throw unavailable(issuer, "the last attempt failed moments ago");
      }
      await load();
    } else if (now - fetchedAtMs >= JWKS_MAX_AGE_MS && now - attemptedAtMs >= cooldownMs) {
      // Stale keys keep verifying while the issuer is briefly down; the refresh is retried
      // once per cooldown.
      await load().catch(() => {});
    }
  }

  return {
    async getKey(kid, alg) {
      await ensureLoaded();
      let entry = selectEntry(entries ?? [], kid, alg);
      if (entry === undefined) {
        // An unknown kid may be a key the issuer just added: refetch, but at most once per
        // cooldown so a stream of made-up kids cannot make leash hammer the issuer.
        if (inflight !== undefined || clock.now() - attemptedAtMs >= cooldownMs) await load();
        entry = selectEntry(entries ?? [], kid, alg);
      }
      if (entry === undefined) {
        throw identityError(
          "ERR_IDENTITY_UNKNOWN_KID",
          kid === undefined
            ? `the OIDC token has no kid and issuer "${issuer.name}" publishes no single key for it.`
            : `issuer "${issuer.name}" publishes no key with the token's kid.`,
          { issuer: issuer.name },
        );
      }
      return importJwkEntry(entry, alg);
    },
  };
}

function selectEntry(
  entries: readonly JwkEntry[],
  kid: string | undefined,
  alg: string,
): JwkEntry | undefined {
  if (kid !== undefined) return entries.find((e) => e.kid === kid);
  const fitting = entries.filter((e) => (e.alg ?? alg) === alg && isKeyForAlg(e.jwk, alg));
  return fitting.length === 1 ? fitting[0] : undefined;
}

async function discoverJwksUri(fetchImpl: typeof fetch, issuer: IssuerConfig): Promise<string> {
  const url = `${issuer.url.replace(/\/+$/, "")}/.well-known/openid-configuration`;
  const doc = await fetchJsonDocument(fetchImpl, url, issuer.name);
  // OIDC Discovery 1.0 §4.3: the document must name the issuer it was fetched for.
  if (doc["issuer"] !== issuer.url) throw unavailable(issuer, "discovery names another issuer");
  const jwksUri = doc["jwks_uri"];
  if (typeof jwksUri !== "string" || !isAllowedIssuerUrl(jwksUri, issuer.allowInsecureLoopback)) {
    throw unavailable(issuer, "discovery has no acceptable jwks_uri");
  }
  return jwksUri;
}

function unavailable(issuer: IssuerConfig, why: string) {
  return identityError(
    "ERR_IDENTITY_JWKS_UNAVAILABLE",
    `the keys of issuer "${issuer.name}" could not be fetched (${why}); try again shortly.`,
    { issuer: issuer.name },
  );
}
