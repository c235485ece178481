import type { Zone } from "../zones/index.js";

/** The CI job a capability is bound to, copied from the verified OIDC identity. */
export interface JobContext {
  issuer: string;
  repository: string;
  repositoryId: string;
  owner: string;
  ownerId: string;
  ref: string;
  sha: string;
  workflowRef: string;
  jobWorkflowRef: string;
  runId: string;
  runAttempt: string;
  event: string;
  environment: string | undefined;
  runnerEnvironment: string;
  actor: string;
}

/** A verified capability: what its bearer (or DPoP key holder) may do, for how long. */
export interface Capability {
  id: string;
  subject: string;
  zone: Zone;
  actions: string[];
  rule: string;
  issuedAtMs: number;
  expiresAtMs: number;
  job: JobContext;
  /** RFC 7638 thumbprint of the DPoP key it is bound to (`cnf.jkt`), if sender-constrained. */
  jkt: string | undefined;
}

/** The JWT type leash writes and insists on, so no other JWT of ours (e.g. a checkpoint) passes as a capability. */
export const CAPABILITY_JWT_TYPE = "leash-capability+jwt";
