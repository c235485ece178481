import type { DecisionRecord } from "../audit/index.js";

const LABEL_VALUE = /^[A-Za-z0-9_.:/-]{1,64}$/;

/**
 * Bounds a label's values: request input (an action name, a zone) reaches some labels, and
 * every distinct value is a new time series, so past `max` distinct values — or for anything
 * that isn't a short plain name — the value is reported as `other`.
 */
export function createLabelGuard(max: number): (value: unknown) => string {
  const seen = new Set<string>();
  return (value) => {
    if (typeof value !== "string" || !LABEL_VALUE.test(value))
      return value === undefined ? "none" : "other";
    if (seen.has(value)) return value;
    if (seen.size >= max) return "other";
    seen.add(value);
    return value;
  };
}

/** The `provenance_verified` flag of a deploy record, wherever the producer put it. */
export function readProvenanceVerified(record: DecisionRecord): boolean | undefined {
  const top = (record as unknown as Record<string, unknown>)["provenance_verified"];
  if (typeof top === "boolean") return top;
  const nested = record.detail?.["provenance_verified"];
  return typeof nested === "boolean" ? nested : undefined;
}

/** True for a decision about promoting an artifact: a deploy request or a Kubernetes admission. */
export function isDeployRecord(record: DecisionRecord): boolean {
  const type: string = record.type;
  return type === "deploy" || type === "admission" || record.action === "deploy";
}

/** The capability id a record is about: its principal, else the refusal detail. */
export function readCapabilityId(record: DecisionRecord): string | undefined {
  const fromPrincipal = record.principal?.["capability_id"];
  if (typeof fromPrincipal === "string") return fromPrincipal;
  const refusal = record.detail?.["refusal"] as Record<string, unknown> | undefined;
  const fromRefusal = refusal?.["capability_id"];
  return typeof fromRefusal === "string" ? fromRefusal : undefined;
}
