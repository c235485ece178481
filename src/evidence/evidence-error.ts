import { createErrorFactory, type ErrorTable, type LeashError } from "../errors/index.js";
import { EVIDENCE_HINTS, type EvidenceKind } from "./evidence-kind.js";

/** Stable codes of the evidence domain (documented in docs/errors/evidence.md). */
export const EVIDENCE_ERRORS = {
  ERR_EVIDENCE_UNKNOWN_KIND: { status: 400, error: "invalid_request" },
  ERR_EVIDENCE_MALFORMED: { status: 400, error: "invalid_request" },
  ERR_EVIDENCE_TOO_LARGE: { status: 413, error: "invalid_request" },
  ERR_EVIDENCE_UNSUPPORTED_VERSION: { status: 400, error: "invalid_request" },
  ERR_EVIDENCE_XML_DOCTYPE: { status: 400, error: "invalid_request" },
  ERR_EVIDENCE_INCOMPLETE: { status: 400, error: "invalid_request" },
  ERR_EVIDENCE_STACK_INVALID: { status: 400, error: "invalid_request" },
} as const satisfies ErrorTable;

export type EvidenceErrorCode = keyof typeof EVIDENCE_ERRORS;

export const evidenceError = createErrorFactory(EVIDENCE_ERRORS);

/** Where in the submitted evidence a problem is: the kind, the file (lockfile side) and the place. */
export interface EvidenceWhere {
  kind: EvidenceKind;
  /** e.g. "before package-lock.json"; absent for single-document kinds. */
  file?: string;
}

/** The place inside a document: a JSON path, or a line/column for XML and YAML. */
export interface EvidencePlace {
  path?: string;
  line?: number;
  column?: number;
}

/**
 * Builds a refusal for bad evidence: `what` says what was wrong (never the content itself, which
 * may hold secrets such as Terraform values); the kind's hint says what to produce instead.
 */
export function refuseEvidence(
  code: EvidenceErrorCode,
  where: EvidenceWhere,
  what: string,
  place: EvidencePlace = {},
): LeashError {
  const at = describePlace(where, place);
  const message = `${where.kind} evidence${at}: ${what}; ${EVIDENCE_HINTS[where.kind]}.`;
  return evidenceError(code, message, { ...where, ...place });
}

function describePlace(where: EvidenceWhere, place: EvidencePlace): string {
  const parts: string[] = [];
  if (where.file !== undefined) parts.push(where.file);
  if (place.path !== undefined) parts.push(place.path === "" ? "(document root)" : place.path);
  if (place.line !== undefined) {
    parts.push(
      place.column === undefined ? `line ${place.line}` : `line ${place.line}:${place.column}`,
    );
  }
  return parts.length === 0 ? "" : ` (${parts.join(", ")})`;
}
