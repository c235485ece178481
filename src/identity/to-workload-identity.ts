import type { IssuerConfig } from "./issuer-config.js";
import { readRequiredString, toStringClaims } from "./read-claims.js";
import { toGithubIdentity } from "./to-github-identity.js";
import { toGitlabIdentity } from "./to-gitlab-identity.js";
import type { WorkloadIdentity } from "./workload-identity.js";

type Claims = Readonly<Record<string, unknown>>;

/**
 * Turns verified claims into a `WorkloadIdentity` by the issuer's provider. Call only after
 * the signature has verified.
 * @throws ERR_IDENTITY_CLAIM_MISSING, ERR_IDENTITY_CLAIM_TYPE, ERR_IDENTITY_SUBJECT_MISMATCH
 */
export function toWorkloadIdentity(claims: Claims, issuer: IssuerConfig): WorkloadIdentity {
  const fields =
    issuer.provider === "github"
      ? toGithubIdentity(claims)
      : issuer.provider === "gitlab"
        ? toGitlabIdentity(claims)
        : toGenericFields(claims);
  return Object.freeze({
    provider: issuer.provider,
    issuer: issuer.url,
    issuerName: issuer.name,
    ...fields,
    claims: toStringClaims(claims),
  });
}

/** A generic issuer only promises `sub`; trust rules match its other claims through `claims`. */
function toGenericFields(claims: Claims) {
  return {
    subject: readRequiredString(claims, "sub"),
    repository: "",
    repositoryId: "",
    owner: "",
    ownerId: "",
    ref: "",
    sha: "",
    workflowRef: "",
    jobWorkflowRef: "",
    event: "",
    runId: "",
    runAttempt: "",
    actor: "",
    runnerEnvironment: "",
  };
}
