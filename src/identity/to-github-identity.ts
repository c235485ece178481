import { identityError } from "./identity-errors.js";
import { checkStringClaims, readOptionalString, readRequiredString } from "./read-claims.js";
import type { WorkloadIdentity } from "./workload-identity.js";

type Claims = Readonly<Record<string, unknown>>;
type ProviderFields = Omit<WorkloadIdentity, "provider" | "issuer" | "issuerName" | "claims">;

/** GitHub sends these as strings when present; a number or object there is refused. */
const OTHER_STRING_CLAIMS = [
  "actor_id",
  "repository_visibility",
  "run_number",
  "workflow",
  "workflow_sha",
  "job_workflow_sha",
  "head_ref",
  "base_ref",
  "ref_type",
  "ref_protected",
  "enterprise",
  "enterprise_id",
  "check_run_id",
];

/** `repo:<owner>[@<ownerId>]/<name>[@<repoId>]:…` — names and the optional immutable ids. */
const SUB_REPO = /^repo:([^/@:]+)(?:@([0-9]+))?\/([^/@:]+)(?:@([0-9]+))?(?::|$)/;

/**
 * Normalizes GitHub Actions claims. Both `sub` forms are accepted (names only, and the
 * immutable form with `@<id>` after owner and repository); whatever the `sub` names must
 * agree with the `repository*` claims.
 * @throws ERR_IDENTITY_CLAIM_MISSING, ERR_IDENTITY_CLAIM_TYPE, ERR_IDENTITY_SUBJECT_MISMATCH
 */
export function toGithubIdentity(claims: Claims): ProviderFields {
  const need = (name: string) => readRequiredString(claims, name);
  checkStringClaims(claims, OTHER_STRING_CLAIMS);
  const fields: ProviderFields = {
    subject: need("sub"),
    repository: need("repository"),
    repositoryId: need("repository_id"),
    owner: need("repository_owner"),
    ownerId: need("repository_owner_id"),
    ref: need("ref"),
    sha: need("sha"),
    workflowRef: need("workflow_ref"),
    jobWorkflowRef: need("job_workflow_ref"),
    event: need("event_name"),
    runId: need("run_id"),
    runAttempt: need("run_attempt"),
    actor: need("actor"),
    runnerEnvironment: need("runner_environment"),
  };
  const environment = readOptionalString(claims, "environment");
  checkGithubConsistency(fields);
  return environment === undefined || environment === "" ? fields : { ...fields, environment };
}

function checkGithubConsistency(f: ProviderFields): void {
  const lower = (s: string) => s.toLowerCase();
  if (!lower(f.repository).startsWith(`${lower(f.owner)}/`)) {
    throw mismatch("the repository claim is not under the repository_owner claim");
  }
  if (!f.subject.startsWith("repo:")) return; // a customized sub without the repo: prefix
  const m = SUB_REPO.exec(f.subject);
  if (m === null) throw mismatch("the sub claim does not name a repository leash can read");
  const [, ownerName, ownerId, repoName, repoId] = m;
  if (lower(`${ownerName}/${repoName}`) !== lower(f.repository)) {
    throw mismatch("the sub claim names another repository than the repository claim");
  }
  if (ownerId !== undefined && ownerId !== f.ownerId) {
    throw mismatch("the owner id in sub differs from repository_owner_id");
  }
  if (repoId !== undefined && repoId !== f.repositoryId) {
    throw mismatch("the repository id in sub differs from repository_id");
  }
}

function mismatch(why: string) {
  return identityError("ERR_IDENTITY_SUBJECT_MISMATCH", `the OIDC token is inconsistent: ${why}.`);
}
