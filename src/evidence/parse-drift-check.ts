import type { EvidenceWhere } from "./evidence-error.js";
import type { DriftCheckFacts } from "./facts.js";
import { readDriftedAddresses, readPlanRoot } from "./parse-terraform-plan.js";
import { parseJsonText } from "./read-json.js";

const WHERE: EvidenceWhere = { kind: "drift-check" };

/**
 * `terraform show -json` of a `-refresh-only` plan → DriftCheckFacts: the addresses in
 * `resource_drift`; clean when there are none. Throws ERR_EVIDENCE_TOO_LARGE,
 * ERR_EVIDENCE_MALFORMED (with the JSON path) or ERR_EVIDENCE_INCOMPLETE (the plan errored).
 */
export function parseDriftCheck(text: string): DriftCheckFacts {
  return readDriftCheck(parseJsonText(text, WHERE));
}

/** The same, for a plan already parsed from JSON (the HTTP body). */
export function readDriftCheck(json: unknown): DriftCheckFacts {
  const drifted = readDriftedAddresses(readPlanRoot(json, WHERE), WHERE);
  return { kind: "drift-check", drifted, clean: drifted.length === 0 };
}
