import { type PolicyJson, preparsePolicySet } from "./cedar.js";
import type { ParsedPolicy } from "./parse-policy-files.js";
import { policyError } from "./policy-errors.js";
import { type AttributeUsage, readAttributeUsage } from "./read-attribute-usage.js";
import type { PolicyInfo } from "./read-policy-annotations.js";
import type { SchemaAction } from "./read-schema-actions.js";

/**
 * A permit as evaluated: Cedar does not say which `when` conjunct failed, so each clause
 * is its own Cedar policy (`<id>#<n>`), plus a condition-free `<id>#0` when the principal
 * or resource scope can miss. The permit holds iff all of them hold — the same
 * conjunction Cedar computes — and the failing clauses are the explanation.
 */
export interface PermitPlan {
  info: PolicyInfo;
  scopeId?: string;
  clauseIds: string[];
}

/** The policies one action can meet, pre-parsed once into their own Cedar set. */
export interface ActionPartition {
  action: SchemaAction;
  setId: string;
  forbids: PolicyInfo[];
  permits: PermitPlan[];
  /** Every Cedar policy id in the set → the policy it came from. */
  owners: ReadonlyMap<string, PolicyInfo>;
  /** The attributes these policies can read; requests carry only these. */
  usage: AttributeUsage;
}

/** Builds and pre-parses one partition per requestable action. Throws ERR_POLICY_INVALID. */
export function partitionPolicySet(
  digest: string,
  policies: readonly ParsedPolicy[],
  actions: ReadonlyMap<string, SchemaAction>,
): Map<string, ActionPartition> {
  const out = new Map<string, ActionPartition>();
  for (const action of actions.values()) {
    const members = policies.filter((p) => scopeIncludes(p.json, action));
    out.set(action.id, buildPartition(`leash:${digest}:${action.id}`, action, members));
  }
  return out;
}

/** Pre-parses the set exactly as written, for raw-Cedar comparisons (bench, tests). */
export function preparseWholeSet(digest: string, policies: readonly ParsedPolicy[]): string {
  const setId = `leash:${digest}:*`;
  const staticPolicies: Record<string, PolicyJson> = {};
  for (const p of policies) staticPolicies[p.info.id] = p.json;
  preparse(setId, staticPolicies);
  return setId;
}

function buildPartition(
  setId: string,
  action: SchemaAction,
  members: ParsedPolicy[],
): ActionPartition {
  const staticPolicies: Record<string, PolicyJson> = {};
  const owners = new Map<string, PolicyInfo>();
  const add = (id: string, json: PolicyJson, info: PolicyInfo) => {
    staticPolicies[id] = json;
    owners.set(id, info);
  };
  const forbids: PolicyInfo[] = [];
  const permits: PermitPlan[] = [];
  for (const { info, json } of members) {
    // The partition already proves the action scope holds; `All` spares Cedar the check
    // and the action hierarchy lookup.
    const base: PolicyJson = { ...json, action: { op: "All" }, annotations: {} };
    if (info.effect === "forbid") {
      add(info.id, base, info);
      forbids.push(info);
      continue;
    }
    permits.push(planPermit(info, base, add));
  }
  preparse(setId, staticPolicies);
  const usage = readAttributeUsage(members.map((m) => m.json));
  return { action, setId, forbids, permits, owners, usage };
}

function planPermit(
  info: PolicyInfo,
  base: PolicyJson,
  add: (id: string, json: PolicyJson, info: PolicyInfo) => void,
): PermitPlan {
  const plan: PermitPlan = { info, clauseIds: [] };
  const scoped = base.principal.op !== "All" || base.resource.op !== "All";
  if (scoped || base.conditions.length === 0) {
    plan.scopeId = `${info.id}#0`;
    add(plan.scopeId, { ...base, conditions: [] }, info);
  }
  base.conditions.forEach((clause, i) => {
    const id = `${info.id}#${i + 1}`;
    plan.clauseIds.push(id);
    add(id, { ...base, conditions: [clause] }, info);
  });
  return plan;
}

function scopeIncludes(json: PolicyJson, action: SchemaAction): boolean {
  const scope = json.action;
  if (scope.op === "All") return true;
  const ids =
    scope.op === "=="
      ? "entity" in scope
        ? [scope.entity]
        : []
      : "entities" in scope
        ? scope.entities
        : [scope.entity];
  return ids.some((uid) => {
    const id = "__entity" in uid ? uid.__entity.id : uid.id;
    return id === action.id || action.ancestors.has(id);
  });
}

function preparse(setId: string, staticPolicies: Record<string, PolicyJson>): void {
  const answer = preparsePolicySet(setId, { staticPolicies });
  if (answer.type === "failure") {
    const problem = answer.errors[0]?.message ?? "cannot pre-parse";
    throw policyError("ERR_POLICY_INVALID", `cannot pre-parse policy set: ${problem}`, { problem });
  }
}
