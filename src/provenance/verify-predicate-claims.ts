import type { AttestedStatement } from "./dsse-envelope.js";
import { isRecord } from "./parse-statement.js";
import { provenanceError } from "./provenance-errors.js";
import type { CertificateIdentity } from "./to-certificate-identity.js";

export const SLSA_PROVENANCE_V02 = "https://slsa.dev/provenance/v0.2";

/** What a SLSA provenance predicate itself claims about the source it was built from. */
export interface PredicateClaims {
  builderId: string | undefined;
  repository: string | undefined;
  ref: string | undefined;
  commit: string | undefined;
  repositoryId: string | undefined;
  ownerId: string | undefined;
}

/** Reads the source claims of a SLSA v1 or v0.2 predicate (undefined fields: not claimed). */
export function toPredicateClaims(statement: AttestedStatement): PredicateClaims {
  const p = isRecord(statement.predicate) ? statement.predicate : {};
  return statement.predicateType === SLSA_PROVENANCE_V02 ? fromV02(p) : fromV1(p);
}

function fromV1(p: Record<string, unknown>): PredicateClaims {
  const def = record(p["buildDefinition"]);
  const workflow = record(record(def["externalParameters"])["workflow"]);
  const github = record(record(def["internalParameters"])["github"]);
  const dep = firstGitDependency(def["resolvedDependencies"]);
  const git = parseGitUri(dep["uri"]);
  const digest = record(dep["digest"]);
  return {
    builderId: text(record(record(p["runDetails"])["builder"])["id"]),
    repository: text(workflow["repository"]) ?? git?.repository,
    ref: text(workflow["ref"]) ?? git?.ref,
    commit: text(digest["gitCommit"]) ?? text(digest["sha1"]),
    repositoryId: text(github["repository_id"]),
    ownerId: text(github["repository_owner_id"]),
  };
}

function fromV02(p: Record<string, unknown>): PredicateClaims {
  const invocation = record(p["invocation"]);
  const config = record(invocation["configSource"]);
  const env = record(invocation["environment"]);
  const git = parseGitUri(config["uri"]) ?? parseGitUri(firstGitDependency(p["materials"])["uri"]);
  return {
    builderId: text(record(p["builder"])["id"]),
    repository: git?.repository,
    ref: git?.ref,
    commit: text(record(config["digest"])["sha1"]),
    repositoryId: text(env["GITHUB_REPOSITORY_ID"]),
    ownerId: text(env["GITHUB_REPOSITORY_OWNER_ID"]),
  };
}

/**
 * Checks that the predicate's own source claims agree with the certificate: repository,
 * ref, commit and, where both carry them, the repository and owner ids. The predicate must
 * name the repository and commit at all. Throws ERR_PROVENANCE_PREDICATE_MISMATCH.
 * Security: the certificate is what Fulcio vouched for; a predicate that says otherwise
 * (a payload built elsewhere and signed here) is refused, not believed.
 */
export function verifyPredicateClaims(claims: PredicateClaims, cert: CertificateIdentity): void {
  const checks: [string, string | undefined, string | undefined, boolean][] = [
    ["predicate_repository", cert.sourceRepository, claims.repository, true],
    ["predicate_commit", cert.commit, claims.commit, true],
    ["predicate_ref", cert.sourceRef, claims.ref, false],
    ["predicate_repository_id", cert.sourceRepositoryId, claims.repositoryId, false],
    ["predicate_owner_id", cert.ownerId, claims.ownerId, false],
  ];
  for (const [check, expected, actual, required] of checks) {
    if (actual === undefined || expected === undefined) {
      // Optional claims are compared only when both sides carry them.
      if (!required) continue;
    } else if (sameValue(check, expected, actual)) {
      continue;
    }
    throw provenanceError(
      "ERR_PROVENANCE_PREDICATE_MISMATCH",
      `${check}: the predicate says ${actual ?? "(nothing)"} but the certificate says ${expected ?? "(nothing)"}`,
      { check, expected: expected ?? null, actual: actual ?? null },
    );
  }
}

function sameValue(check: string, a: string, b: string): boolean {
  if (check === "predicate_repository") return normalizeRepository(a) === normalizeRepository(b);
  if (check === "predicate_commit") return a.toLowerCase() === b.toLowerCase();
  return a === b;
}

function normalizeRepository(uri: string): string {
  return uri
    .toLowerCase()
    .replace(/\/+$/, "")
    .replace(/\.git$/, "");
}

/** `git+https://host/owner/name[@ref]` → repository URL and ref. */
export function parseGitUri(
  uri: unknown,
): { repository: string; ref: string | undefined } | undefined {
  if (typeof uri !== "string" || !uri.startsWith("git+")) return undefined;
  const rest = uri.slice(4);
  const schemeEnd = rest.indexOf("://");
  const at = rest.indexOf("@", schemeEnd < 0 ? 0 : schemeEnd + 3);
  if (at < 0) return { repository: rest, ref: undefined };
  return { repository: rest.slice(0, at), ref: rest.slice(at + 1) };
}

function firstGitDependency(list: unknown): Record<string, unknown> {
  if (!Array.isArray(list)) return {};
  const found = list.find((d: unknown) => isRecord(d) && parseGitUri(d["uri"]) !== undefined);
  return record(found);
}

function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}
