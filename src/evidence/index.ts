/**
 * @module evidence
 * Parsers that turn raw, untrusted CI output (JUnit XML, npm/pnpm lockfile diffs, npm audit and
 * OSV-Scanner reports, Terraform plans and drift checks) into the typed facts policy reads; a
 * plan or drift check also names the stack it describes (`stackOf`: the repository's own unless
 * the attester names another).
 * Pure: no I/O, no clock; every parser is linear in its input, refuses anything over
 * MAX_EVIDENCE_BYTES, never expands XML entities or accepts a DOCTYPE, and throws a coded
 * LeashError (ERR_EVIDENCE_*) naming the place instead of returning partial facts. It must
 * never echo the raw content into an error: plans and reports may hold secrets.
 */
export { diffNpmLockfiles } from "./diff-npm-lockfiles.js";
export { diffPnpmLockfiles } from "./diff-pnpm-lockfiles.js";
export { EVIDENCE_ERRORS, type EvidenceErrorCode } from "./evidence-error.js";
export { EVIDENCE_KINDS, type EvidenceKind } from "./evidence-kind.js";
export type {
  ApprovalFacts,
  DriftCheckFacts,
  EvidenceFacts,
  EvidenceItem,
  LockfileDiffFacts,
  PackageChange,
  ProvenanceFacts,
  Severity,
  TerraformPlanFacts,
  TestResultFacts,
  VulnerabilityFinding,
  VulnerabilityScanFacts,
} from "./facts.js";
export { COMPUTED_ZONE } from "./facts.js";
export { isMajorBump } from "./is-major-bump.js";
export { parseDriftCheck } from "./parse-drift-check.js";
export { parseEvidence } from "./parse-evidence.js";
export { parseJunitXml } from "./parse-junit-xml.js";
export { parseNpmAudit } from "./parse-npm-audit.js";
export { parseOsvScannerReport } from "./parse-osv-scanner-report.js";
export { type StackScope, stackOf } from "./parse-stack-name.js";
export { parseTerraformPlan } from "./parse-terraform-plan.js";
export { hasUnknownInstallScripts } from "./to-lockfile-diff-facts.js";
export { MAX_EVIDENCE_BYTES } from "./verify-evidence-size.js";
