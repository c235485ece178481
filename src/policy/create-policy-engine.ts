import { statefulIsAuthorized } from "./cedar.js";
import { compileEngineConfig } from "./compile-engine-config.js";
import { createAnswerCache } from "./create-answer-cache.js";
import { explainDecision } from "./explain-decision.js";
import type { PolicySet } from "./load-policy-set.js";
import { policyError } from "./policy-errors.js";
import { type CedarRequest, toCedarRequest } from "./to-cedar-request.js";
import type { AuthorizationRequest, PolicyDecision, PolicyEngineConfig } from "./types.js";

export interface PolicyEngine {
  /** Decides one request. Pure apart from the clock; throws only ERR_POLICY_EVALUATION_FAILED. */
  evaluate(req: AuthorizationRequest): PolicyDecision;
  /**
   * Builds the Cedar request for raw-Cedar comparisons: with every attribute (`trim`
   * false, what the whole set needs) or only those the action's policies read (as
   * `evaluate` sends). Null for an unknown action.
   */
  toCedarRequest(req: AuthorizationRequest, trim?: boolean): CedarRequest | null;
  digest: string;
}

/**
 * Creates an engine over a loaded set. Per request it builds entities and context,
 * evaluates only the partition of the requested action, and explains the answer. No Cedar
 * text is parsed here. Modes and shadow sets belong to the caller: call `evaluate` on a
 * second engine for a shadow set.
 */
/** Distinct Cedar requests whose answers an engine keeps. */
export const DEFAULT_ANSWER_CACHE_ENTRIES = 4096;

export function createPolicyEngine(set: PolicySet, options: PolicyEngineConfig): PolicyEngine {
  const config = compileEngineConfig(options);
  const cache = createAnswerCache(options.answerCacheEntries ?? DEFAULT_ANSWER_CACHE_ENTRIES);
  const deny = (code: string, message: string): PolicyDecision => ({
    decision: "deny",
    policies: [],
    reasons: [{ code, message }],
    policySetDigest: set.digest,
  });
  const evaluate = (req: AuthorizationRequest): PolicyDecision => {
    const partition = set.partitions.get(req.action);
    if (partition === undefined) {
      return deny("unknown_action", `${req.action} is not an action the policy schema knows`);
    }
    if (!partition.action.resourceTypes.has(req.resource.type)) {
      const allowed = [...partition.action.resourceTypes].join(", ");
      return deny(
        "resource_type_not_allowed",
        `${req.action} applies to ${allowed || "no resource type"}, not ${req.resource.type}`,
      );
    }
    const { request, facts } = toCedarRequest(req, partition, config);
    const answer = cache.get(partition.setId, request, () =>
      statefulIsAuthorized({ ...request, preparsedPolicySetId: partition.setId }),
    );
    if (answer.type === "failure") {
      const problem = answer.errors[0]?.message ?? "unknown";
      throw policyError("ERR_POLICY_EVALUATION_FAILED", `Cedar could not evaluate: ${problem}`, {
        action: req.action,
        problem,
      });
    }
    return explainDecision({
      partition,
      response: answer.response,
      req,
      facts,
      config,
      digest: set.digest,
    });
  };
  const toRequest = (req: AuthorizationRequest, trim = false): CedarRequest | null => {
    const partition = set.partitions.get(req.action);
    return partition === undefined ? null : toCedarRequest(req, partition, config, trim).request;
  };
  return { evaluate, toCedarRequest: toRequest, digest: set.digest };
}
