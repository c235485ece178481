import { type EvidenceWhere, refuseEvidence } from "./evidence-error.js";
import type { TerraformPlanFacts } from "./facts.js";
import {
  expectArray,
  expectObject,
  expectString,
  type JsonObject,
  joinPath,
  ownValue,
  parseJsonText,
  throwMalformed,
} from "./read-json.js";

const WHERE: EvidenceWhere = { kind: "terraform-plan" };

type PlanBucket = "creates" | "updates" | "deletes" | "replaces";

/**
 * `change.actions` (joined by ",") → the bucket it lands in; null = no change. `forget` (1.7+:
 * removed from state, left running) is counted as a delete: the resource leaves Terraform's
 * control, and a policy that guards deletes should see it. Any other list is refused.
 */
const ACTIONS: ReadonlyMap<string, PlanBucket | null> = new Map([
  ["no-op", null],
  ["read", null],
  ["create", "creates"],
  ["update", "updates"],
  ["delete", "deletes"],
  ["forget", "deletes"],
  ["delete,create", "replaces"],
  ["create,delete", "replaces"],
]);

/**
 * `terraform show -json plan.out` → TerraformPlanFacts by resource address, plus the addresses
 * in `resource_drift`. Throws ERR_EVIDENCE_TOO_LARGE, ERR_EVIDENCE_MALFORMED (with the JSON path,
 * e.g. `resource_changes[3].change.actions`) or ERR_EVIDENCE_INCOMPLETE (the plan errored).
 */
export function parseTerraformPlan(text: string): TerraformPlanFacts {
  return readTerraformPlan(parseJsonText(text, WHERE));
}

/** The same, for a plan already parsed from JSON (the HTTP body). */
export function readTerraformPlan(json: unknown): TerraformPlanFacts {
  const root = readPlanRoot(json, WHERE);
  const facts: TerraformPlanFacts = {
    kind: "terraform-plan",
    creates: [],
    updates: [],
    deletes: [],
    replaces: [],
    drifted: readDriftedAddresses(root, WHERE),
  };
  forEachChange(root, "resource_changes", WHERE, (address, bucket) => {
    if (bucket !== null) facts[bucket].push(address);
  });
  return facts;
}

/** Checks this is a complete plan from `terraform show -json`, not state, logs or a failed plan. */
export function readPlanRoot(json: unknown, where: EvidenceWhere): JsonObject {
  const root = expectObject(json, "", where);
  expectString(ownValue(root, "format_version"), "format_version", where);
  const isPlan = ["planned_values", "resource_changes", "resource_drift"].some((key) =>
    Object.hasOwn(root, key),
  );
  if (!isPlan) {
    throwMalformed(
      where,
      "this is not a plan (no planned_values or resource_changes); state is not accepted",
      { path: "" },
    );
  }
  if (ownValue(root, "errored") === true) {
    throw refuseEvidence(
      "ERR_EVIDENCE_INCOMPLETE",
      where,
      "the plan errored, so it does not list every change",
      { path: "errored" },
    );
  }
  return root;
}

/** Addresses in `resource_drift` whose actions are a change (drift that changes nothing is not drift). */
export function readDriftedAddresses(root: JsonObject, where: EvidenceWhere): string[] {
  const drifted: string[] = [];
  forEachChange(root, "resource_drift", where, (address, bucket) => {
    if (bucket !== null) drifted.push(address);
  });
  return drifted;
}

function forEachChange(
  root: JsonObject,
  list: "resource_changes" | "resource_drift",
  where: EvidenceWhere,
  visit: (address: string, bucket: PlanBucket | null) => void,
): void {
  const value = ownValue(root, list);
  if (value === undefined || value === null) return;
  expectArray(value, list, where).forEach((item, i) => {
    const path = joinPath(list, i);
    const entry = expectObject(item, path, where);
    const address = expectString(ownValue(entry, "address"), joinPath(path, "address"), where);
    visit(address, readBucket(entry, path, where));
  });
}

function readBucket(entry: JsonObject, path: string, where: EvidenceWhere): PlanBucket | null {
  const changePath = joinPath(path, "change");
  const change = expectObject(ownValue(entry, "change"), changePath, where);
  const actionsPath = joinPath(changePath, "actions");
  const actions = expectArray(ownValue(change, "actions"), actionsPath, where);
  const joined = actions.map((a, i) => expectString(a, joinPath(actionsPath, i), where)).join(",");
  const bucket = ACTIONS.get(joined);
  if (bucket === undefined) {
    return throwMalformed(where, "unknown change actions; leash refuses what it cannot classify", {
      path: actionsPath,
    });
  }
  return bucket;
}
