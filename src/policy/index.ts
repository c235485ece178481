/**
 * @module policy
 * The decision core: loads Cedar policy sets (strictly validated, pre-parsed once,
 * partitioned by action), turns a verified capability + request + resolved evidence into
 * Cedar entities and context, decides, and explains the decision (the permits that allowed,
 * the forbid's @reason, or the unmet requirements of a default deny). Also runs YAML policy
 * tests. It must never do I/O per request, verify signatures, resolve evidence, apply
 * modes or write records: those belong to its callers.
 */

export { CONTROL_PATHS } from "./control-paths.js";
export type { PolicyEngine } from "./create-policy-engine.js";
export { createPolicyEngine } from "./create-policy-engine.js";
export type { PolicySet } from "./load-policy-set.js";
export { loadPolicySet } from "./load-policy-set.js";
export type { ArtifactReference } from "./parse-artifact-reference.js";
export { parseArtifactReference } from "./parse-artifact-reference.js";
export { POLICY_ERRORS } from "./policy-errors.js";
export type { PolicyInfo } from "./read-policy-annotations.js";
export { DEFAULT_POLICY_DIR, DEFAULT_SCHEMA_PATH } from "./read-policy-source.js";
export type { PolicyTestReport, PolicyTestResult } from "./run-policy-tests.js";
export { POLICY_TEST_NOW, runPolicyTests } from "./run-policy-tests.js";
export type {
  AuthorizationRequest,
  PolicyDecision,
  PolicyEngineConfig,
  PolicyEngineOptions,
  PolicySource,
  Principal,
  Reason,
  ResourceRef,
  ResourceType,
} from "./types.js";
