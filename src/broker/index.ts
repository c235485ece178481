/**
 * @module broker
 * The use cases — exchange, introspect, revoke, authorize, attest, provenance, verify, approve,
 * admit — each one readable pipeline of named steps that writes its decision record, and the
 * composition root that wires domains to a store. Edges (server, cli) call only this. Must
 * never answer before the record is durable.
 */
export type { AdminToken } from "./admin-token.js";
export { ADMIN_TOKEN_FILE, loadAdminToken, readAdminToken } from "./admin-token.js";
export type { AdmissionAnswer } from "./admit-workload.js";
export { ADMIT_ACTION, admitWorkload } from "./admit-workload.js";
export type { ApprovalRequest, ApprovalResult } from "./approve-action.js";
export { approveAction, MAX_APPROVAL_SECONDS } from "./approve-action.js";
export type { AttestRequest, AttestResult } from "./attest-evidence.js";
export { attestEvidence } from "./attest-evidence.js";
export type { ProvenanceRequest, ProvenanceResult } from "./attest-provenance.js";
export { attestProvenance } from "./attest-provenance.js";
export type { Producer, Subject } from "./attestation-statement.js";
export { authenticateCapability } from "./authenticate-capability.js";
export type {
  AuthorizeAnswer,
  AuthorizeRequest,
  Caller,
  ComputedEvidence,
} from "./authorize-action.js";
export { authorizeAction, toPrincipal, toRecordPrincipal } from "./authorize-action.js";
export { BROKER_ERRORS, brokerError } from "./broker-errors.js";
export type { DpopInput } from "./check-dpop.js";
export type { CreateLeashOptions } from "./create-leash.js";
export { createLeash } from "./create-leash.js";
export type { ExchangeInput, ExchangeResult } from "./exchange-token.js";
export { exchangeToken } from "./exchange-token.js";
export { introspectCapability } from "./introspect-capability.js";
export type { LeaseRequest, SecretLease } from "./lease-secret.js";
export { leaseSecret } from "./lease-secret.js";
export type { Leash } from "./leash.js";
export { ISSUED_TOKEN_TYPE, parseScope, TOKEN_EXCHANGE_GRANT } from "./parse-exchange-params.js";
export type { PolicyHolder } from "./policy-holder.js";
export { PROMOTION_ERRORS, promotionError } from "./promotion-errors.js";
export type { PutSecretResult } from "./put-secret.js";
export { putSecret } from "./put-secret.js";
export { readSecretForLeash } from "./read-secret-for-leash.js";
export type { Decided } from "./record-decision.js";
export { recordDecision, recordRefusal, startRecord } from "./record-decision.js";
export type { EvidenceRef } from "./resolve-evidence.js";
export type { RevokeResult } from "./revoke-capabilities.js";
export { revokeCapabilities } from "./revoke-capabilities.js";
export type { VerifyAnswer, VerifyRequest } from "./verify-provenance.js";
export { verifyProvenance } from "./verify-provenance.js";
