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
import { attestBody, authorizeBatchBody, authorizeBody, parseBody } from "../request-schemas.js";
import { attestProvenanceRoute } from "./promotion-routes.js";
import { toAuthorizeJson } from "./to-authorize-json.js";

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
    return c.json(toAuthorizeJson(decided.decisionId, decided.value));
  });

  // One agent tool call can be several questions (a push of two refs, an install and a
  // build): one round trip, each still decided and recorded on its own, in order. An item
  // refused before a decision carries the refusal (`error`, `code`) and is a deny.
  app.post("/v1/authorize/batch", async (c) => {
    let body: ReturnType<typeof authorizeBatchBody.parse>;
    try {
      body = parseBody(authorizeBatchBody, await readBody(c));
    } catch (err) {
      const refused = await recordRefusal(leash, "authorize", "authorize", toLeashError(err));
      return renderError(c, refused.error, refused.decisionId);
    }
    const caller = { token: bearerToken(c), dpop: dpopInput(c, leash.issuer) };
    const decisions: Record<string, unknown>[] = [];
    for (const item of body.requests) {
      const decided = await authorizeAction(leash, caller, {
        action: item.action,
        resource: item.resource as ResourceRef,
        context: item.context,
        evidence: item.evidence.map(toEvidenceRef),
      });
      decisions.push(
        decided.ok
          ? toAuthorizeJson(decided.decisionId, decided.value)
          : {
              decision: "deny",
              decision_id: decided.decisionId,
              error: decided.error.error,
              error_description: decided.error.message,
              code: decided.error.code,
            },
      );
    }
    return c.json({ decisions });
  });

  app.post("/v1/attestations", async (c) => {
    let body: ReturnType<typeof attestBody.parse>;
    try {
      const raw = await readBody(c, 12 * 1024 * 1024);
      // Provenance is its own use case (decided as artifact.publish), with its own body.
      if (raw["kind"] === "provenance") return attestProvenanceRoute(c, leash, raw);
      body = parseBody(attestBody, raw);
    } catch (err) {
      const refused = await recordRefusal(leash, "attest", "attest", toLeashError(err));
      return renderError(c, refused.error, refused.decisionId);
    }
    const caller = { token: bearerToken(c), dpop: dpopInput(c, leash.issuer) };
    const decided = await attestEvidence(leash, caller, {
      kind: body.kind as EvidenceKind,
      subject: body.subject,
      stack: body.stack,
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
    | {
        kind: string;
        subject: { sha: string } | { digest: string };
        stack?: string | undefined;
        content?: unknown;
      },
): EvidenceRef {
  if (typeof e === "string") return { kind: "attestation", id: e };
  if ("id" in e) return { kind: "attestation", id: e.id };
  return {
    kind: "inline",
    evidenceKind: e.kind as EvidenceKind,
    subject: e.subject,
    stack: e.stack,
    content: e.content,
  };
}
