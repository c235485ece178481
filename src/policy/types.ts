import type { Clock } from "../clock/index.js";
import type { EvidenceItem } from "../evidence/facts.js";

/** The capability, as verified by the caller: who acts, in which zone, for which job. */
export interface Principal {
  capabilityId: string;
  zone: "planning" | "editing" | "validation" | "publishing" | "deployment";
  actions: string[];
  repository: string;
  repositoryId: string;
  ownerId: string;
  ref: string;
  sha: string;
  workflowRef: string;
  jobWorkflowRef: string;
  event: string;
  environment?: string;
  runnerEnvironment: string;
  runId: string;
}

export type ResourceType =
  | "Repository"
  | "Branch"
  | "Package"
  | "Stack"
  | "Secret"
  | "Artifact"
  | "Environment"
  | "Host"
  | "Path"
  | "Tool";

export interface ResourceRef {
  type: ResourceType;
  id: string;
  attrs: Record<string, unknown>;
}

/** One question to the policy: may this capability do this action on this resource? */
export interface AuthorizationRequest {
  principal: Principal;
  action: string;
  resource: ResourceRef;
  /** Caller context, already validated at the edge (`purpose`, `artifact`, …). */
  context: Record<string, unknown>;
  /** Resolved and signature-verified by the caller, or `selfReported: true`. */
  evidence: EvidenceItem[];
  /**
   * The commit under decision, when one of leash's own enforcement points knows it (the git
   * gateway: the commit a ref update pushes). Evidence about the change (diffs, scans,
   * plans, drift checks, tests) and approvals naming a sha must be about this commit.
   * Absent: the capability's sha. Never taken from an agent's request (its `context.sha`
   * would let it point the decision at evidence about another commit).
   */
  commit?: string;
}

export interface Reason {
  code: string;
  message: string;
}

export interface PolicyDecision {
  decision: "allow" | "deny";
  /** The determining policies by `@id`: permits for an allow, forbids or unmet permits for a deny. */
  policies: string[];
  reasons: Reason[];
  policySetDigest: string;
}

/** How the engine computes resource attributes Cedar can't compute itself. */
export interface PolicyEngineConfig {
  /** Branch globs agents own (`*` stays in one segment, `**` crosses). Default `refs/heads/agent/*`. */
  ownedBranches?: string[];
  /** Branch globs no agent writes to, e.g. `refs/heads/release/**`. */
  protectedBranches?: string[];
  /** The repository's default branch. Default `refs/heads/main`. */
  defaultBranch?: string;
  /** Stack id globs that are production whatever their `environment` attr says. */
  productionStacks?: string[];
  /** Environment names that count as production, compared case-insensitively. Default `["production"]`. */
  productionEnvironments?: string[];
  /** Paths that steer leash or CI; touching one needs approval. Default: see CONTROL_PATHS. */
  controlPaths?: string[];
  clock: Clock;
  /** Distinct Cedar requests whose answers are kept (default 4096; 0 turns the cache off). */
  answerCacheEntries?: number;
}

/** Where the policies live. */
export interface PolicySource {
  dirs: string[];
  /** Default: the shipped `policies/leash.cedarschema`. */
  schemaPath?: string;
  /**
   * The name the set's pre-parsed partitions get inside Cedar (default: its digest). Cedar
   * keeps a pre-parsed set until one with the same name replaces it and has no way to drop
   * one, so a long-running server names its sets by slot and reuses two per role: each
   * reload of changed policies would otherwise leave the old sets in memory for good.
   */
  slot?: string;
}

export type PolicyEngineOptions = PolicySource & PolicyEngineConfig;
