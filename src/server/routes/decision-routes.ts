import type { Hono } from "hono";
import {
  attestEvidence,
  authorizeAction,
  type EvidenceRef,
  type Leash,
  recordRefusal,
} from "../../broker/index.js";
import { toLeashError } from "../../errors/index.js";
import type { EvidenceKind } from "../../evidence/index.js";
import type { ResourceRef } from "../../policy/index.js";
import { bearerToken, dpopInput, readBody } from "../read-request.js";
import { renderError } from "../render-error.js";
import { attestBody, authorizeBody, parseBody } from "../request-schemas.js";

/** POST /v1/authorize and POST /v1/attestations: the decision path agents call. */
export function addDecisionRoutes(app: Hono, leash: Leash): void {
  app.post("/v1/authorize", async (c) => {
    let body: ReturnType<typeof authorizeBody.parse>;
    try {
      body = parseBody(authorizeBody, await readBody(c));
    } catch (err) {
      const refused = await recordRefusal(leash, "authorize", "authorize", toLeashError(err));
      return renderError(c, refused.error, refused.decisionId);
    }
    const caller = { token: bearerToken(c), dpop: dpopInput(c, leash.issuer) };
    const decided = await authorizeAction(leash, caller, {
      action: body.action,
      resource: body.resource as ResourceRef,
      context: body.context,
      evidence: body.evidence.map(toEvidenceRef),
    });
    if (!decided.ok) return renderError(c, decided.error, decided.decisionId);
    const a = decided.value;
    return c.json({
      decision: a.decision,
      decision_id: decided.decisionId,
      mode: a.mode,
      enforced: a.enforced,
      would_deny: a.wouldDeny,
      reasons: a.reasons,
      policies: a.policies,
    });
  });

  app.post("/v1/attestations", async (c) => {
    let body: ReturnType<typeof attestBody.parse>;
    try {
      body = parseBody(attestBody, await readBody(c, 12 * 1024 * 1024));
    } catch (err) {
      const refused = await recordRefusal(leash, "attest", "attest", toLeashError(err));
      return renderError(c, refused.error, refused.decisionId);
    }
    const caller = { token: bearerToken(c), dpop: dpopInput(c, leash.issuer) };
    const decided = await attestEvidence(leash, caller, {
      kind: body.kind as EvidenceKind,
      subject: body.subject,
      content: body.content,
    });
    if (!decided.ok) return renderError(c, decided.error, decided.decisionId);
    return c.json(
      { id: decided.value.id, envelope: decided.value.envelope, decision_id: decided.decisionId },
      201,
    );
  });
}

function toEvidenceRef(
  e:
    | string
    | { id: string }
    | { kind: string; subject: { sha: string } | { digest: string }; content?: unknown },
): EvidenceRef {
  if (typeof e === "string") return { kind: "attestation", id: e };
  if ("id" in e) return { kind: "attestation", id: e.id };
  return {
    kind: "inline",
    evidenceKind: e.kind as EvidenceKind,
    subject: e.subject,
    content: e.content,
  };
}
