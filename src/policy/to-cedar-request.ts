import type { CedarContext, EntityJson } from "./cedar.js";
import type { EngineConfig } from "./compile-engine-config.js";
import { type ArtifactReference, parseArtifactReference } from "./parse-artifact-reference.js";
import type { ActionPartition } from "./partition-policy-set.js";
import { pickAttributes } from "./read-attribute-usage.js";
import { ACTION_TYPE, NAMESPACE } from "./read-schema-actions.js";
import { selectEvidence } from "./select-evidence.js";
import { toResourceAttributes, touchedControlPaths } from "./to-resource-attributes.js";
import type { AuthorizationRequest, Principal } from "./types.js";

type Uid = { type: string; id: string };

/** A request in Cedar's terms, without the policy set to evaluate it against. */
export interface CedarRequest {
  principal: Uid;
  action: Uid;
  resource: Uid;
  context: CedarContext;
  entities: EntityJson[];
}

/** What the engine derived while building the request; explanations quote it. */
export interface RequestFacts {
  artifact: ArtifactReference;
  commits: string[];
  /** The control paths `resource.attrs.paths` touches, or null (touchedControlPaths). */
  controlPaths: string[] | null;
}

/**
 * Builds the Cedar entities (the capability as `Leash::Agent`, the resource with computed
 * attributes) and context (caller `purpose` and `artifact`, the derived artifact digest,
 * and `evidence`). Every attribute a policy of the partition can read is present, so a
 * policy never errors on a missing one; the others are left out (they cost time in Cedar
 * and no policy of this action can see them). `trim` false keeps every attribute.
 */
export function toCedarRequest(
  req: AuthorizationRequest,
  partition: ActionPartition,
  config: EngineConfig,
  trim = true,
): { request: CedarRequest; facts: RequestFacts } {
  const { action } = partition;
  const usage = trim
    ? partition.usage
    : { principal: null, resource: null, context: null, evidence: null };
  const principal = { type: `${NAMESPACE}::Agent`, id: req.principal.capabilityId };
  const resource = { type: `${NAMESPACE}::${req.resource.type}`, id: req.resource.id };
  const artifact = parseArtifactReference(stringOf(req.context["artifact"]));
  const selected = selectEvidence(req, artifact.digest, config.clock.now());
  const controlPaths = touchedControlPaths(req.resource.attrs["paths"], config);
  const context: CedarContext = {
    purpose: stringOf(req.context["purpose"]).trim(),
    artifact: artifact.raw,
    artifact_pinned: artifact.digest !== null,
    artifact_digest: artifact.digest ?? "",
    evidence: pickAttributes(selected.evidence as unknown as CedarContext, usage.evidence),
  };
  const entities: EntityJson[] = [
    {
      uid: principal,
      attrs: pickAttributes(toAgentAttributes(req.principal), usage.principal),
      parents: [],
    },
    {
      uid: resource,
      attrs: pickAttributes(toResourceAttributes(req, config, controlPaths), usage.resource),
      parents: [],
    },
    ...action.entities,
  ];
  return {
    request: {
      principal,
      action: { type: ACTION_TYPE, id: action.id },
      resource,
      context: pickAttributes(context, usage.context),
      entities,
    },
    facts: { artifact, commits: selected.commits, controlPaths },
  };
}

function toAgentAttributes(p: Principal): CedarContext {
  const attrs: CedarContext = {
    capability_id: p.capabilityId,
    zone: p.zone,
    actions: p.actions,
    repository: p.repository,
    repository_id: p.repositoryId,
    owner_id: p.ownerId,
    ref: p.ref,
    sha: p.sha,
    workflow_ref: p.workflowRef,
    job_workflow_ref: p.jobWorkflowRef,
    event: p.event,
    runner_environment: p.runnerEnvironment,
    run_id: p.runId,
  };
  // Absent, not "": a policy must test `principal has environment` before using it.
  if (p.environment !== undefined && p.environment !== "") attrs["environment"] = p.environment;
  return attrs;
}

function stringOf(value: unknown): string {
  return typeof value === "string" ? value : "";
}
