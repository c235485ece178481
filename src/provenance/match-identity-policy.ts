import { compileRefPattern } from "./compile-ref-pattern.js";
import { provenanceError } from "./provenance-errors.js";

/** Default OIDC issuer, as `gh attestation verify` has it. */
export const GITHUB_ACTIONS_ISSUER = "https://token.actions.githubusercontent.com";

/**
 * Who must have built the artifact, after `gh attestation verify`'s flags. Repositories are
 * `owner/name` (github.com) or a full `https://host/owner/name` URL.
 */
export interface IdentityPolicy {
  repo?: string;
  repoId?: string;
  ownerId?: string;
  signerRepo?: string;
  /** `[host/]owner/name/path/to/workflow.yml[@ref]`. */
  signerWorkflow?: string;
  /** Exact, or a glob when it contains `*` (`*` within a segment, `**` across). */
  sourceRef?: string;
  /** Default https://token.actions.githubusercontent.com. */
  certOidcIssuer?: string;
  denySelfHostedRunners?: boolean;
  /** Selects which bundles the policy applies to; default any SLSA provenance v0.2 or v1. */
  predicateType?: string;
  builderId?: string;
}

/** The identity one verified attestation vouches for (certificate, or leash's statement). */
export interface ProvenanceIdentity {
  /**
   * `certificate`: Sigstore keyless (Fulcio); `leash-key`: signed by leash's own key;
   * `registry-key`: signed by a registry's key (npm publish attestations), no workload named.
   */
  signer: "certificate" | "leash-key" | "registry-key";
  issuer: string | undefined;
  sourceRepository: string | undefined;
  sourceRepositoryId: string | undefined;
  ownerId: string | undefined;
  sourceRef: string | undefined;
  commit: string | undefined;
  signerWorkflow: string | undefined;
  runnerEnvironment: string | undefined;
  builderId: string | undefined;
  predicateType: string;
}

/** One failed check, named as the CLI prints it. */
export interface IdentityMismatch {
  check: string;
  expected: string;
  actual: string;
}

/** An identity policy validated and compiled once per request. */
export interface CompiledIdentityPolicy {
  readonly predicateType: string | undefined;
  match(identity: ProvenanceIdentity): IdentityMismatch | undefined;
}

type Check = (id: ProvenanceIdentity) => IdentityMismatch | undefined;

const HOSTED_RUNNERS = new Set(["github-hosted", "gitlab-hosted"]);

/**
 * Validates a policy and compiles it. Throws ERR_PROVENANCE_POLICY_INVALID when it names
 * no repository, repository id or signer (it would accept anyone) or a value is malformed.
 */
export function compileIdentityPolicy(policy: IdentityPolicy): CompiledIdentityPolicy {
  if (!policy.repo && !policy.repoId && !policy.signerRepo && !policy.signerWorkflow) {
    throw invalid("name a repository (repo or repoId) or a signer (signerRepo or signerWorkflow)");
  }
  const issuer = policy.certOidcIssuer ?? GITHUB_ACTIONS_ISSUER;
  const checks: Check[] = [exact("issuer", issuer, (id) => id.issuer)];
  if (policy.repo) checks.push(repoCheck(policy.repo));
  if (policy.repoId)
    checks.push(exact("repository_id", policy.repoId, (i) => i.sourceRepositoryId));
  if (policy.ownerId) checks.push(exact("owner_id", policy.ownerId, (i) => i.ownerId));
  checks.push(...signerChecks(policy));
  if (policy.sourceRef) checks.push(refCheck(policy.sourceRef));
  if (policy.denySelfHostedRunners) checks.push(runnerCheck);
  if (policy.builderId) checks.push(exact("builder_id", policy.builderId, (i) => i.builderId));
  return {
    predicateType: policy.predicateType,
    match: (identity) => {
      for (const check of checks) {
        const mismatch = check(identity);
        if (mismatch) return mismatch;
      }
      return undefined;
    },
  };
}

function exact(
  check: string,
  expected: string,
  read: (id: ProvenanceIdentity) => string | undefined,
): Check {
  return (id) => {
    const actual = read(id);
    return actual === expected ? undefined : { check, expected, actual: actual ?? "(absent)" };
  };
}

function repoCheck(repo: string): Check {
  const expected = toRepoKey(repo, "repo");
  return (id) => {
    const actual = id.sourceRepository;
    if (actual !== undefined && toRepoKey(actual, "repo") === expected) return undefined;
    return { check: "source_repository", expected: repo, actual: actual ?? "(absent)" };
  };
}

function signerChecks(policy: IdentityPolicy): Check[] {
  const checks: Check[] = [];
  if (policy.signerWorkflow) {
    const expected = toWorkflowKey(policy.signerWorkflow, "signerWorkflow");
    checks.push((id) => {
      const actual = id.signerWorkflow === undefined ? undefined : toWorkflowKey(id.signerWorkflow);
      const ok =
        actual !== undefined &&
        actual.repo === expected.repo &&
        actual.path === expected.path &&
        (expected.ref === undefined || actual.ref === expected.ref);
      return ok ? undefined : signerMismatch(policy.signerWorkflow as string, id);
    });
  }
  // The signer workflow must live in the source repository unless the policy names another.
  const signerRepo = policy.signerRepo ?? (policy.signerWorkflow ? undefined : policy.repo);
  if (signerRepo) {
    const expected = toRepoKey(signerRepo, "signerRepo");
    checks.push((id) => {
      const actual = id.signerWorkflow === undefined ? undefined : toWorkflowKey(id.signerWorkflow);
      return actual?.repo === expected ? undefined : signerMismatch(signerRepo, id);
    });
  }
  return checks;
}

function signerMismatch(expected: string, id: ProvenanceIdentity): IdentityMismatch {
  return { check: "signer_workflow", expected, actual: id.signerWorkflow ?? "(absent)" };
}

function refCheck(pattern: string): Check {
  const matches = compileRefPattern(pattern);
  return (id) =>
    id.sourceRef !== undefined && matches(id.sourceRef)
      ? undefined
      : { check: "source_ref", expected: pattern, actual: id.sourceRef ?? "(absent)" };
}

const runnerCheck: Check = (id) =>
  id.runnerEnvironment !== undefined && HOSTED_RUNNERS.has(id.runnerEnvironment)
    ? undefined
    : {
        check: "runner_environment",
        expected: "github-hosted",
        actual: id.runnerEnvironment ?? "(absent)",
      };

/** `owner/name` or `https://host/owner/name` → `host/owner/name`, lowercased. */
function toRepoKey(value: string, field?: string): string {
  const parts = stripScheme(value)
    .split("/")
    .filter((s) => s !== "");
  const segments = hasHost(parts) ? parts : ["github.com", ...parts];
  if (segments.length !== 3) {
    if (field) throw invalid(`${field} must be owner/name or https://host/owner/name`);
  }
  return segments
    .join("/")
    .toLowerCase()
    .replace(/\.git$/, "");
}

/** `[https://][host/]owner/name/path@ref` → repository key, path and ref. */
function toWorkflowKey(value: string, field?: string) {
  const at = value.indexOf("@");
  const ref = at < 0 ? undefined : value.slice(at + 1);
  const parts = stripScheme(at < 0 ? value : value.slice(0, at))
    .split("/")
    .filter((s) => s !== "");
  const segments = hasHost(parts) ? parts : ["github.com", ...parts];
  if (segments.length < 4 && field) {
    throw invalid(`${field} must be [host/]owner/name/path/to/workflow.yml[@ref]`);
  }
  return {
    repo: segments.slice(0, 3).join("/").toLowerCase(),
    path: segments.slice(3).join("/"),
    ref,
  };
}

function stripScheme(value: string): string {
  return value.replace(/^https?:\/\//i, "");
}

/** GitHub owners can't contain dots, so a dotted first segment is a host. */
function hasHost(parts: string[]): boolean {
  return (parts[0] ?? "").includes(".");
}

function invalid(message: string) {
  return provenanceError("ERR_PROVENANCE_POLICY_INVALID", `identity_policy_invalid: ${message}`);
}
