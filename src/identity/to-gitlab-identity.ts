import { identityError } from "./identity-errors.js";
import { checkStringClaims, readOptionalString, readRequiredString } from "./read-claims.js";
import type { WorkloadIdentity } from "./workload-identity.js";

type Claims = Readonly<Record<string, unknown>>;
type ProviderFields = Omit<WorkloadIdentity, "provider" | "issuer" | "issuerName" | "claims">;

/** GitLab sends these as strings when present (`runner_id` is a number and is left alone). */
const OTHER_STRING_CLAIMS = [
  "user_id",
  "user_email",
  "user_access_level",
  "job_id",
  "ref_path",
  "ref_protected",
  "environment_protected",
  "deployment_tier",
  "environment_action",
  "project_visibility",
  "ci_config_sha",
];

/**
 * Normalizes GitLab CI `id_tokens` claims: project_path → repository, project_id →
 * repositoryId, namespace_* → owner, ref + ref_type → full ref, pipeline_source → event,
 * pipeline_id → runId, ci_config_ref_uri → workflow refs, user_login → actor.
 * @throws ERR_IDENTITY_CLAIM_MISSING, ERR_IDENTITY_CLAIM_TYPE, ERR_IDENTITY_SUBJECT_MISMATCH
 */
export function toGitlabIdentity(claims: Claims): ProviderFields {
  const need = (name: string) => readRequiredString(claims, name);
  const may = (name: string) => readOptionalString(claims, name);
  checkStringClaims(claims, OTHER_STRING_CLAIMS);
  const configRef = may("ci_config_ref_uri") ?? "";
  const fields: ProviderFields = {
    subject: need("sub"),
    repository: need("project_path"),
    repositoryId: need("project_id"),
    owner: need("namespace_path"),
    ownerId: need("namespace_id"),
    ref: toFullRef(need("ref"), need("ref_type")),
    sha: need("sha"),
    workflowRef: configRef,
    jobWorkflowRef: configRef,
    event: need("pipeline_source"),
    runId: need("pipeline_id"),
    runAttempt: "",
    actor: need("user_login"),
    runnerEnvironment: may("runner_environment") ?? "",
  };
  checkGitlabSubject(fields);
  const environment = may("environment");
  return environment === undefined || environment === "" ? fields : { ...fields, environment };
}

function toFullRef(ref: string, refType: string): string {
  // Always prefixed by ref_type, so a branch named like a tag can never read as a tag.
  if (refType === "branch") return `refs/heads/${ref}`;
  if (refType === "tag") return `refs/tags/${ref}`;
  throw identityError(
    "ERR_IDENTITY_CLAIM_TYPE",
    `the OIDC token's "ref_type" claim must be "branch" or "tag".`,
    { claim: "ref_type" },
  );
}

function checkGitlabSubject(f: ProviderFields): void {
  if (!f.repository.startsWith(`${f.owner}/`)) {
    throw mismatch("project_path is not under namespace_path");
  }
  const prefix = "project_path:";
  if (!f.subject.startsWith(prefix)) return; // a customized sub
  if (f.subject.slice(prefix.length).split(":", 1)[0] !== f.repository) {
    throw mismatch("the sub claim names another project than project_path");
  }
}

function mismatch(why: string) {
  return identityError("ERR_IDENTITY_SUBJECT_MISMATCH", `the OIDC token is inconsistent: ${why}.`);
}
