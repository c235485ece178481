import type { Provider } from "./issuer-config.js";

/**
 * Who a CI job is, the same shape for every provider. Trust rules match on it; ids are
 * pinned rather than names because names can be renamed and reused.
 */
export interface WorkloadIdentity {
  readonly provider: Provider;
  /** The token's `iss`. */
  readonly issuer: string;
  /** The config name of that issuer. */
  readonly issuerName: string;
  readonly subject: string;
  /** `owner/name` (GitLab: `project_path`, subgroups included). */
  readonly repository: string;
  readonly repositoryId: string;
  readonly owner: string;
  readonly ownerId: string;
  /** Always a full ref: `refs/heads/x`, `refs/tags/v1`. */
  readonly ref: string;
  readonly sha: string;
  readonly workflowRef: string;
  readonly jobWorkflowRef: string;
  readonly environment?: string;
  readonly event: string;
  readonly runId: string;
  readonly runAttempt: string;
  readonly actor: string;
  /** `github-hosted` | `gitlab-hosted` | `self-hosted`, or "" when the issuer does not say. */
  readonly runnerEnvironment: string;
  /** Every string-valued raw claim, for trust rules that match a claim by name. */
  readonly claims: Readonly<Record<string, string>>;
}

/** A verified OIDC token: the identity plus what the exchange needs to log and replay-check it. */
export interface VerifiedOidcToken {
  readonly identity: WorkloadIdentity;
  /** SHA-256 of the token, hex. The token is only ever logged as this. */
  readonly tokenSha256: string;
  /** `jti` when present, else `tokenSha256`: the key the caller's replay check uses. */
  readonly replayKey: string;
  readonly expiresAtMs: number;
}
