import { Verifier } from "@sigstore/verify";
import { sha256Hex } from "../encoding/index.js";
import { LeashError } from "../errors/index.js";
import { createBoundedCache } from "./create-bounded-cache.js";
import { SLSA_PROVENANCE_V1 } from "./create-slsa-provenance.js";
import type { AttestedStatement, VerificationKey } from "./dsse-envelope.js";
import type { TrustMaterial } from "./load-trust-material.js";
import {
  type CompiledIdentityPolicy,
  compileIdentityPolicy,
  type IdentityPolicy,
  type ProvenanceIdentity,
} from "./match-identity-policy.js";
import { type ProvenanceErrorCode, provenanceError } from "./provenance-errors.js";
import { toProvenanceIdentity } from "./to-provenance-identity.js";
import type { SigstoreBundleJSON } from "./to-sigstore-bundle.js";
import { type VerifiedBundle, verifyBundle } from "./verify-bundle.js";
import { SLSA_PROVENANCE_V02 } from "./verify-predicate-claims.js";
import {
  type ArtifactDigest,
  toArtifactDigests,
  verifySubjectDigest,
} from "./verify-subject-digest.js";

/** Verified bundles kept by default (each a few KB: statement and identity). */
export const DEFAULT_VERIFIED_CACHE_ENTRIES = 1024;

const SLSA_TYPES = new Set([SLSA_PROVENANCE_V02, SLSA_PROVENANCE_V1]);

/** What to verify: the bundles of one file, the artifact's digest(s), who must have built it. */
export interface VerifyProvenanceInput {
  bundles: SigstoreBundleJSON[];
  artifactDigest: ArtifactDigest | ArtifactDigest[];
  policy: IdentityPolicy;
}

/** A successful verification. `statements[i]`, `identity[i]`, `bundleDigests[i]` belong together. */
export interface VerificationResult {
  verified: true;
  /** The statements of the selected predicate type (read-only: shared with the cache). */
  statements: AttestedStatement[];
  identity: ProvenanceIdentity[];
  /** SHA-256 of each selected bundle's JSON, the key results are kept under. */
  bundleDigests: string[];
}

export interface ProvenanceVerifier {
  /** Throws a coded ERR_PROVENANCE_* error naming the failed check (see docs/errors). */
  verify(input: VerifyProvenanceInput): VerificationResult;
  cacheStats(): { hits: number; misses: number; size: number };
}

/**
 * Creates the verifier: one `@sigstore/verify` Verifier over the trust material, built here
 * once, and a bounded cache of bundles already verified (by the SHA-256 of the bundle), so a
 * bundle is verified cryptographically once. Policy and subject checks run on every call.
 */
export function createProvenanceVerifier(
  trust: TrustMaterial,
  opts: {
    /** leash's keys, or a function giving the current and past ones (keys rotate). */
    leashKeys?: VerificationKey[] | (() => VerificationKey[]);
    cacheEntries?: number;
  } = {},
): ProvenanceVerifier {
  const verifier = new Verifier(trust.sigstore);
  const keys = opts.leashKeys ?? [];
  const depsNow = () => ({
    verifier,
    trust,
    leashKeys: typeof keys === "function" ? keys() : keys,
  });
  const cache = createBoundedCache<VerifiedBundle>(
    opts.cacheEntries ?? DEFAULT_VERIFIED_CACHE_ENTRIES,
  );
  const stats = { hits: 0, misses: 0 };
  const verifyOne = (bundle: SigstoreBundleJSON, index: number) => {
    const key = sha256Hex(JSON.stringify(bundle));
    const hit = cache.get(key);
    if (hit) {
      stats.hits++;
      return { key, verified: hit };
    }
    stats.misses++;
    const verified = deepFreeze(withIndex(index, () => verifyBundle(bundle, index, depsNow())));
    cache.set(key, verified);
    return { key, verified };
  };
  return {
    verify: (input) => runVerification(input, verifyOne),
    cacheStats: () => ({ ...stats, size: cache.size }),
  };
}

type VerifyOne = (
  bundle: SigstoreBundleJSON,
  index: number,
) => { key: string; verified: VerifiedBundle };

/** The pipeline: policy → every bundle verifies → every subject names the artifact → select → identity. */
function runVerification(input: VerifyProvenanceInput, verifyOne: VerifyOne): VerificationResult {
  const policy = compileIdentityPolicy(input.policy);
  const digests = toArtifactDigests(input.artifactDigest);
  if (input.bundles.length === 0) throw noAttestation(policy, "no bundle was given");
  const all = input.bundles.map((bundle, index) => ({ index, ...verifyOne(bundle, index) }));
  for (const { verified, index } of all) verifySubjectDigest(verified.statement, digests, index);
  const selected = all.filter(({ verified }) =>
    isSelected(verified.statement.predicateType, policy),
  );
  if (selected.length === 0)
    throw noAttestation(policy, "no bundle has the selected predicate type");
  const identity = selected.map(({ verified, index }) => {
    const id = withIndex(index, () => toProvenanceIdentity(verified));
    matchOrThrow(policy, id, index);
    return id;
  });
  return {
    verified: true,
    statements: selected.map(({ verified }) => verified.statement),
    identity,
    bundleDigests: selected.map(({ key }) => key),
  };
}

function isSelected(predicateType: string, policy: CompiledIdentityPolicy): boolean {
  return policy.predicateType === undefined
    ? SLSA_TYPES.has(predicateType)
    : predicateType === policy.predicateType;
}

function matchOrThrow(policy: CompiledIdentityPolicy, identity: ProvenanceIdentity, index: number) {
  const mismatch = policy.match(identity);
  if (!mismatch) return;
  const { check, expected, actual } = mismatch;
  throw provenanceError(
    "ERR_PROVENANCE_IDENTITY_MISMATCH",
    `${check}: ${actual} does not match ${expected}`,
    { check, expected, actual, bundle: index },
  );
}

function noAttestation(policy: CompiledIdentityPolicy, why: string) {
  const expected = policy.predicateType ?? "SLSA provenance v0.2 or v1";
  return provenanceError("ERR_PROVENANCE_NO_ATTESTATION", `predicate_type: ${why} (${expected})`, {
    check: "predicate_type",
    expected,
  });
}

/** Runs `fn`, adding the bundle index to a coded error that doesn't name one yet. */
function withIndex<T>(index: number, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof LeashError) || err.detail?.["bundle"] !== undefined) throw err;
    const detail = { ...err.detail, bundle: index };
    throw provenanceError(err.code as ProvenanceErrorCode, err.message, detail, err.cause);
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
