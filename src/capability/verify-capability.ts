import { verify } from "node:crypto";
import type { Clock } from "../clock/index.js";
import type { Store } from "../store/index.js";
import { isZone } from "../zones/index.js";
import { CAPABILITY_JWT_TYPE, type Capability, type JobContext } from "./capability.js";
import { capabilityError } from "./capability-errors.js";
import type { KeyRing } from "./key-ring.js";

const MAX_CAPABILITY_BYTES = 8 * 1024;
const SKEW_SECONDS = 30;

/**
 * How far ahead of the revoking instance's clock the minting instance's may run and a run,
 * repository or subject revocation still cover its capability. Such a revocation compares the
 * capability's `iat` (the minting instance's clock, whole seconds) with `revokedMs` (the
 * revoking instance's clock); with instances a little apart, a capability minted just before
 * the revoke would otherwise slip through. The price: a capability minted up to this long
 * after such a revocation is refused too, and the job asks again a few seconds later.
 */
export const REVOCATION_CLOCK_SKEW_MS = 5_000;

export interface VerifyCapabilityOptions {
  keyRing: KeyRing;
  store: Store;
  clock: Clock;
  issuer: string;
}

/**
 * Verifies a capability: signature by a leash key, type, issuer/audience, lifetime, then
 * revocation (by capability id, run, repository or subject, looked up in the store on every
 * call so a revocation on any instance counts for the very next request).
 * Throws ERR_CAPABILITY_INVALID / _EXPIRED / _REVOKED. DPoP binding is the caller's next step.
 */
export async function verifyCapability(
  token: string,
  opts: VerifyCapabilityOptions,
): Promise<Capability> {
  const payload =
    cacheFor(opts.keyRing).get(token) ?? (await verifyAndRemember(token, opts.keyRing));
  const cap = toCapability(payload, opts);
  const revoked = await opts.store.findRevocations({
    capabilityId: cap.id,
    run: `${cap.job.repositoryId}/${cap.job.runId}`,
    repositoryId: cap.job.repositoryId,
    subject: cap.subject,
  });
  // A run/repository/subject revocation covers capabilities issued up to that moment, give or
  // take the instances' clock skew; an id revocation always.
  const hit = revoked.find(
    (r) => r.kind === "capability" || cap.issuedAtMs <= r.revokedMs + REVOCATION_CLOCK_SKEW_MS,
  );
  if (hit)
    throw capabilityError(
      "ERR_CAPABILITY_REVOKED",
      `capability ${cap.id} was revoked (by ${hit.kind}); get a new one with leash token if the job should continue`,
      { capability_id: cap.id, revoked_by: hit.kind },
    );
  return cap;
}

/**
 * Payloads whose signature already verified, by the exact token text: an agent presents the
 * same capability for every action, and the signature check is the costliest step. Lifetime,
 * issuer and revocation are still checked on every call.
 */
const verifiedPayloads = new WeakMap<KeyRing, Map<string, Record<string, unknown>>>();
const MAX_VERIFIED = 10_000;

function cacheFor(keyRing: KeyRing): Map<string, Record<string, unknown>> {
  let cache = verifiedPayloads.get(keyRing);
  if (!cache) {
    cache = new Map();
    verifiedPayloads.set(keyRing, cache);
  }
  return cache;
}

async function verifyAndRemember(
  token: string,
  keyRing: KeyRing,
): Promise<Record<string, unknown>> {
  const payload = verifySignature(token, keyRing) ?? (await retryAfterReload(token, keyRing));
  const cache = cacheFor(keyRing);
  if (cache.size >= MAX_VERIFIED) cache.delete(cache.keys().next().value as string);
  cache.set(token, payload);
  return payload;
}

/** Another instance may have rotated keys: reload (rate-limited by the ring), then decide. */
async function retryAfterReload(token: string, keyRing: KeyRing): Promise<Record<string, unknown>> {
  await keyRing.reloadForUnknownKid();
  const payload = verifySignature(token, keyRing);
  if (!payload) throw invalid("it is not signed by a key of this leash");
  return payload;
}

/** Returns the payload, undefined when the kid is unknown; throws when the token is bad. */
function verifySignature(token: string, keyRing: KeyRing): Record<string, unknown> | undefined {
  if (token.length > MAX_CAPABILITY_BYTES) throw invalid("it is too large");
  const parts = token.split(".");
  if (parts.length !== 3) throw invalid("it is not a compact JWT");
  const [h, p, s] = parts as [string, string, string];
  const header = decodeJson(h);
  if (
    header["alg"] !== "ES256" ||
    header["typ"] !== CAPABILITY_JWT_TYPE ||
    typeof header["kid"] !== "string"
  ) {
    throw invalid("its header is not a leash capability's");
  }
  const key = keyRing.verificationKey(header["kid"]);
  if (!key) return undefined;
  const ok = verify(
    "sha256",
    Buffer.from(`${h}.${p}`),
    { key, dsaEncoding: "ieee-p1363" },
    Buffer.from(s, "base64url"),
  );
  if (!ok) throw invalid("its signature does not verify");
  return decodeJson(p);
}

function decodeJson(part: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    if (value && typeof value === "object" && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {}
  throw invalid("a part of it is not base64url JSON");
}

function toCapability(c: Record<string, unknown>, opts: VerifyCapabilityOptions): Capability {
  const now = opts.clock.now() / 1000;
  if (c["iss"] !== opts.issuer || c["aud"] !== opts.issuer)
    throw invalid("it was issued by another leash");
  const exp = c["exp"];
  const iat = c["iat"];
  const zone = c["zone"];
  const job = c["job"] as Record<string, unknown> | undefined;
  if (
    typeof exp !== "number" ||
    typeof iat !== "number" ||
    typeof c["jti"] !== "string" ||
    typeof zone !== "string" ||
    !isZone(zone) ||
    !Array.isArray(c["actions"]) ||
    !job
  ) {
    throw invalid("its claims are incomplete");
  }
  if (exp <= now - SKEW_SECONDS) {
    throw capabilityError(
      "ERR_CAPABILITY_EXPIRED",
      `the capability expired ${Math.round(now - exp)}s ago; get a new one with leash token`,
      { capability_id: c["jti"] },
    );
  }
  if (typeof c["nbf"] === "number" && c["nbf"] > now + SKEW_SECONDS)
    throw invalid("it is not valid yet");
  const cnf = c["cnf"] as { jkt?: unknown } | undefined;
  return {
    id: c["jti"],
    subject: String(c["sub"] ?? ""),
    zone,
    actions: (c["actions"] as unknown[]).map(String),
    rule: String(c["rule"] ?? ""),
    issuedAtMs: iat * 1000,
    expiresAtMs: exp * 1000,
    job: toJobContext(job),
    jkt: typeof cnf?.jkt === "string" ? cnf.jkt : undefined,
  };
}

function toJobContext(j: Record<string, unknown>): JobContext {
  const s = (k: string) => (typeof j[k] === "string" ? (j[k] as string) : "");
  return {
    issuer: s("issuer"),
    repository: s("repository"),
    repositoryId: s("repository_id"),
    owner: s("owner"),
    ownerId: s("owner_id"),
    ref: s("ref"),
    sha: s("sha"),
    workflowRef: s("workflow_ref"),
    jobWorkflowRef: s("job_workflow_ref"),
    runId: s("run_id"),
    runAttempt: s("run_attempt"),
    event: s("event"),
    environment: typeof j["environment"] === "string" ? j["environment"] : undefined,
    runnerEnvironment: s("runner_environment"),
    actor: s("actor"),
  };
}

const invalid = (why: string) =>
  capabilityError(
    "ERR_CAPABILITY_INVALID",
    `the capability is not valid: ${why}; get a new one with leash token`,
  );
