import type { AuthorizeAnswer } from "../../broker/index.js";

/** An authorize answer on the wire (also a publish let through unsigned in observe mode). */
export function toAuthorizeJson(decisionId: string, a: AuthorizeAnswer): Record<string, unknown> {
  return {
    decision: a.decision,
    decision_id: decisionId,
    mode: a.mode,
    enforced: a.enforced,
    would_deny: a.wouldDeny,
    reasons: a.reasons,
    policies: a.policies,
  };
}
