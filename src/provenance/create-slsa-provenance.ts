import { type InTotoStatement, STATEMENT_V1 } from "./dsse-envelope.js";
import { provenanceError } from "./provenance-errors.js";

/** SLSA provenance v1 predicate type. */
export const SLSA_PROVENANCE_V1 = "https://slsa.dev/provenance/v1";
/**
 * The build type leash's statements use by default: GitHub's workflow build type, whose
 * externalParameters / resolvedDependencies shape leash follows (tools that know it can
 * read leash's provenance). leash's own job facts sit under internalParameters.leash.
 */
export const LEASH_BUILD_TYPE = "https://actions.github.io/buildtypes/workflow/v1";

/** The CI job a capability was minted for, as provenance records it. */
export interface ProvenanceJob {
  /** OIDC issuer that vouched for the job (recorded so the identity policy can check it). */
  issuer: string;
  /** `owner/name`. */
  repository: string;
  repositoryId?: string;
  ownerId?: string;
  ref: string;
  sha: string;
  /** `owner/name/.github/workflows/x.yml@ref`: the workflow the run started from. */
  workflowRef: string;
  /** The workflow file the job itself ran (a reusable workflow's, or the same). */
  jobWorkflowRef?: string;
  runId: string;
  runAttempt: string;
  runnerEnvironment?: string;
  builderId: string;
  /** Forge origin, `https://github.com` unless given. */
  serverUrl?: string;
}

/** An artifact by digest: `sha256:<hex>` (or `sha512:<hex>`). */
export interface ProvenanceArtifact {
  name?: string;
  digest: string;
}

/**
 * Builds a SLSA provenance v1 statement for one artifact from the job context.
 * Throws ERR_PROVENANCE_MALFORMED for a digest that isn't `sha256:`/`sha512:` hex, or a
 * workflow ref that isn't `owner/name/path@ref`.
 */
export function createSlsaProvenance(
  job: ProvenanceJob,
  artifact: ProvenanceArtifact,
  opts: { buildType?: string; startedOn?: string } = {},
): InTotoStatement {
  const server = (job.serverUrl ?? "https://github.com").replace(/\/+$/, "");
  const repositoryUrl = `${server}/${job.repository}`;
  const subject = toSubject(artifact);
  const metadata: Record<string, string> = {
    invocationId: `${repositoryUrl}/actions/runs/${job.runId}/attempts/${job.runAttempt}`,
  };
  if (opts.startedOn !== undefined) metadata["startedOn"] = opts.startedOn;
  return {
    _type: STATEMENT_V1,
    subject: [subject],
    predicateType: SLSA_PROVENANCE_V1,
    predicate: {
      buildDefinition: {
        buildType: opts.buildType ?? LEASH_BUILD_TYPE,
        externalParameters: {
          workflow: {
            ref: job.ref,
            repository: repositoryUrl,
            path: toWorkflowPath(job.workflowRef),
          },
        },
        internalParameters: { leash: toInternalParameters(job, server) },
        resolvedDependencies: [
          { uri: `git+${repositoryUrl}@${job.ref}`, digest: { gitCommit: job.sha } },
        ],
      },
      runDetails: { builder: { id: job.builderId }, metadata },
    },
  };
}

function toInternalParameters(job: ProvenanceJob, server: string): Record<string, string> {
  const out: Record<string, string> = {
    issuer: job.issuer,
    workflow_ref: job.workflowRef,
    build_signer_uri: `${server}/${job.jobWorkflowRef ?? job.workflowRef}`,
    run_id: job.runId,
    run_attempt: job.runAttempt,
  };
  if (job.repositoryId !== undefined) out["repository_id"] = job.repositoryId;
  if (job.ownerId !== undefined) out["repository_owner_id"] = job.ownerId;
  if (job.runnerEnvironment !== undefined) out["runner_environment"] = job.runnerEnvironment;
  return out;
}

function toSubject(artifact: ProvenanceArtifact): {
  name?: string;
  digest: Record<string, string>;
} {
  const match = /^(sha256|sha512):([0-9a-f]+)$/.exec(artifact.digest.toLowerCase());
  const size = match?.[1] === "sha256" ? 64 : 128;
  if (!match || match[2]?.length !== size) {
    throw provenanceError(
      "ERR_PROVENANCE_MALFORMED",
      "malformed_digest: the artifact digest must be sha256:<64 hex> or sha512:<128 hex>",
    );
  }
  const digest = { [match[1] as string]: match[2] as string };
  return artifact.name === undefined ? { digest } : { name: artifact.name, digest };
}

function toWorkflowPath(workflowRef: string): string {
  // owner/name/<path>@<ref>: the path is everything between the repository and the ref.
  const match = /^[^/]+\/[^/]+\/([^@]+)@.+$/.exec(workflowRef);
  if (!match?.[1]) {
    throw provenanceError(
      "ERR_PROVENANCE_MALFORMED",
      "malformed_workflow_ref: expected owner/name/<path>@<ref>",
    );
  }
  return match[1];
}
