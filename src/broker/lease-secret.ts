import type { Capability } from "../capability/index.js";
import { createId } from "../encoding/index.js";
import type { Reason, ResourceRef } from "../policy/index.js";
import { verifySecretName } from "../secrets/index.js";
import type { SecretRow } from "../store/index.js";
import { authenticateCapability } from "./authenticate-capability.js";
import {
  type AuthorizeAnswer,
  applyMode,
  type Caller,
  noteShadow,
  toPrincipal,
  toRecordPrincipal,
  withConfigAttrs,
} from "./authorize-action.js";
import type { Leash } from "./leash.js";
import { type Decided, type DraftRecord, recordDecision, startRecord } from "./record-decision.js";

export interface LeaseRequest {
  name: string;
  /** Why the agent needs it; empty or absent is a deny (`purpose_missing`). */
  purpose: string | undefined;
}

/** A released secret, or the policy's reasons for not releasing it. Tagged by `kind`. */
export type SecretLease =
  | { kind: "released"; value: string; leaseId: string; expiresAtMs: number }
  | { kind: "refused"; reasons: Reason[] };

/**
 * `secret.read` for a capability: the same policy evaluation as authorize (grant attributes
 * from config, shadow set, mode), then — only on an enforced allow — unseal, record the lease
 * and answer the value. Observe mode never releases a secret the policy would deny: a leaked
 * secret can't be taken back, so the broker fails closed in every mode. The record holds
 * name, purpose, lease id and fingerprint, never the value.
 */
export async function leaseSecret(
  leash: Leash,
  caller: Caller | Capability,
  req: LeaseRequest,
): Promise<Decided<SecretLease>> {
  const purpose = (req.purpose ?? "").trim();
  const record = startRecord(leash, "secret");
  record.action = "secret.read";
  record.resource = { type: "Secret", id: req.name };
  record.detail = { name: req.name, purpose };
  return recordDecision(leash, record, async () => {
    verifySecretName(req.name);
    const cap =
      "id" in caller ? caller : await authenticateCapability(leash, caller.token, caller.dpop);
    record.principal = toRecordPrincipal(cap);
    const answer = decideSecretRead(leash, record, cap, req.name, purpose);
    if (answer.decision !== "allow" || answer.wouldDeny) return refuse(record, answer);
    const stored = await leash.store.getSecret(req.name);
    const grant = leash.config.secrets.find((g) => g.name === req.name);
    if (!stored || !grant) return refuse(record, notReleasable(req.name, stored));
    return release(leash, record, cap, { stored, purpose, maxLeaseSeconds: grant.maxLeaseSeconds });
  });
}

/** The shared evaluation: resource attributes from config, the active set, the shadow set, the mode. */
function decideSecretRead(
  leash: Leash,
  record: DraftRecord,
  cap: Capability,
  name: string,
  purpose: string,
): AuthorizeAnswer {
  const resource: ResourceRef = withConfigAttrs(leash, {
    type: "Secret",
    id: name,
    attrs: { repository_id: cap.job.repositoryId },
  });
  const request = {
    principal: toPrincipal(cap),
    action: "secret.read",
    resource,
    context: { purpose },
    evidence: [],
  };
  const decision = leash.policy.active.evaluate(request);
  noteShadow(leash, record, request, decision);
  return applyMode(leash, record, "secret.read", decision);
}

/** A refusal with reasons; in observe mode the would-deny is enforced here, and the record says so. */
function refuse(record: DraftRecord, why: AuthorizeAnswer | Reason[]): SecretLease {
  const reasons = Array.isArray(why) ? why : why.reasons;
  if (!Array.isArray(why) && why.wouldDeny) {
    record.enforced = true;
    record.detail = { ...record.detail, fail_closed: "secret.read is enforced in observe mode" };
  }
  record.result = "deny";
  record.reasons = reasons;
  record.code = reasons[0]?.code ?? "secret_not_granted";
  return { kind: "refused", reasons };
}

/**
 * Allowed but nothing to release: not stored yet, or allowed by a custom policy without a
 * grant (no lease length is known, so nothing is released). Only a caller the policy allowed
 * ever learns that a secret is missing.
 */
function notReleasable(name: string, stored: SecretRow | undefined): Reason[] {
  if (!stored)
    return [
      {
        code: "secret_not_stored",
        message: `secret ${name} is granted but holds no value yet; the operator stores it with leash secret put ${name}`,
      },
    ];
  return [
    {
      code: "secret_not_granted",
      message: `no grant in leash config names secret ${name}; a secret is released only under a grant`,
    },
  ];
}

/** Unseals (fails closed on a wrong key or tampering), records the lease, answers the value. */
async function release(
  leash: Leash,
  record: DraftRecord,
  cap: Capability,
  opts: { stored: SecretRow; purpose: string; maxLeaseSeconds: number },
): Promise<SecretLease> {
  const value = leash.secrets.open(opts.stored);
  const fingerprint = leash.secrets.fingerprint(value);
  const nowMs = leash.clock.now();
  const expiresAtMs = nowMs + opts.maxLeaseSeconds * 1000;
  const leaseId = createId("lse");
  await leash.store.insertLease({
    leaseId,
    name: opts.stored.name,
    capabilityId: cap.id,
    repositoryId: cap.job.repositoryId,
    purpose: opts.purpose,
    fingerprint,
    createdMs: nowMs,
    expiresMs: expiresAtMs,
    decisionId: record.decision_id,
  });
  record.detail = {
    ...record.detail,
    version: opts.stored.version,
    lease_id: leaseId,
    fingerprint,
    expires_at: new Date(expiresAtMs).toISOString(),
  };
  return { kind: "released", value, leaseId, expiresAtMs };
}
