/**
 * @module audit
 * The decision log: every decision (allow, deny, observe, error) as one hash-chained record,
 * with signed checkpoints, and the verifier that detects tampering. Must never hold a token,
 * secret or key; a record that can't be written makes the decision a deny.
 */
export type { AuditAnchor } from "./audit-anchor.js";
export { checkAuditAnchor, createAuditAnchor, parseAuditAnchor } from "./audit-anchor.js";
export { AUDIT_ERRORS, auditError } from "./audit-errors.js";
export { computeChainHash, GENESIS_HASH } from "./chain-hash.js";
export { PRUNE_ACTION, type PrunedPrefix } from "./check-pruned-prefixes.js";
export type { CheckpointJson, CheckpointSigner } from "./checkpoint.js";
export {
  fromCheckpointJson,
  signCheckpoint,
  toCheckpointJson,
  verifyCheckpointSignature,
} from "./checkpoint.js";
export type { AuditLog, AuditLogOptions } from "./create-audit-log.js";
export { createAuditLog } from "./create-audit-log.js";
export type {
  DecisionReason,
  DecisionRecord,
  DecisionResult,
  DecisionType,
} from "./decision-record.js";
export type { AuditProblem, AuditVerification, ChainReport } from "./verify-audit-log.js";
export { verifyAuditLog } from "./verify-audit-log.js";
