import { type EntityJson, schemaToJson } from "./cedar.js";
import { policyError } from "./policy-errors.js";

/** The namespace every leash schema declares its types in. */
export const NAMESPACE = "Leash";
export const ACTION_TYPE = `${NAMESPACE}::Action`;

/** What the schema says about one requestable action. */
export interface SchemaAction {
  id: string;
  /** Unqualified resource type names, e.g. `Branch`. */
  resourceTypes: ReadonlySet<string>;
  /** Action groups it belongs to, transitively. */
  ancestors: ReadonlySet<string>;
  /** The action and its groups as Cedar entities; empty when the schema has no groups. */
  entities: EntityJson[];
}

interface RawAction {
  appliesTo?: { resourceTypes: string[] };
  memberOf?: { id: string }[];
}

/** Reads the actions of the `Leash` namespace. Throws ERR_POLICY_SCHEMA_INVALID. */
export function readSchemaActions(schemaText: string): Map<string, SchemaAction> {
  const answer = schemaToJson(schemaText);
  if (answer.type === "failure") {
    const problem = answer.errors[0]?.message ?? "cannot parse";
    throw policyError("ERR_POLICY_SCHEMA_INVALID", `the policy schema is invalid: ${problem}`, {
      problem,
    });
  }
  const raw = answer.json[NAMESPACE]?.actions as Record<string, RawAction> | undefined;
  if (raw === undefined) {
    throw policyError(
      "ERR_POLICY_SCHEMA_INVALID",
      `the policy schema needs namespace ${NAMESPACE}`,
      {
        problem: "namespace",
      },
    );
  }
  const hasGroups = Object.values(raw).some((a) => (a.memberOf?.length ?? 0) > 0);
  const out = new Map<string, SchemaAction>();
  for (const [id, action] of Object.entries(raw)) {
    if (action.appliesTo === undefined) continue;
    const ancestors = ancestorsOf(id, raw);
    out.set(id, {
      id,
      resourceTypes: new Set(action.appliesTo.resourceTypes.map(unqualify)),
      ancestors,
      entities: hasGroups ? [id, ...ancestors].map((a) => actionEntity(a, raw)) : [],
    });
  }
  return out;
}

function ancestorsOf(id: string, raw: Record<string, RawAction>): Set<string> {
  const seen = new Set<string>();
  const queue = [id];
  while (queue.length > 0) {
    for (const parent of raw[queue.pop() as string]?.memberOf ?? []) {
      if (!seen.has(parent.id)) {
        seen.add(parent.id);
        queue.push(parent.id);
      }
    }
  }
  return seen;
}

function actionEntity(id: string, raw: Record<string, RawAction>): EntityJson {
  return {
    uid: { type: ACTION_TYPE, id },
    attrs: {},
    parents: (raw[id]?.memberOf ?? []).map((p) => ({ type: ACTION_TYPE, id: p.id })),
  };
}

function unqualify(name: string): string {
  return name.startsWith(`${NAMESPACE}::`) ? name.slice(NAMESPACE.length + 2) : name;
}
