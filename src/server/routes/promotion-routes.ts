import type { Context, Hono } from "hono";
import type { DecisionType } from "../../audit/index.js";
import {
  ADMIT_ACTION,
  admitWorkload,
  approveAction,
  attestProvenance,
  type Leash,
  recordRefusal,
  verifyProvenance,
} from "../../broker/index.js";
import { parseDurationSeconds } from "../../config/index.js";
import { type LeashError, toLeashError } from "../../errors/index.js";
import { toAdmissionReview } from "../../gateway/kubernetes/index.js";
import type { IdentityPolicy } from "../../provenance/index.js";
import {
  approvalBody,
  type IdentityPolicyBody,
  provenanceBody,
  verifyBody,
} from "../promotion-schemas.js";
import { bearerToken, dpopInput, readBody } from "../read-request.js";
import { renderError } from "../render-error.js";
import { parseBody } from "../request-schemas.js";
import { requireAdmin } from "./admin-routes.js";
import { toAuthorizeJson } from "./to-authorize-json.js";

/** A bundle file of 256 bundles is a few MB; an AdmissionReview of a large workload far less. */
const MAX_VERIFY_BODY_BYTES = 8 * 1024 * 1024;
const MAX_ADMISSION_BODY_BYTES = 3 * 1024 * 1024;

/** POST /v1/verify, /v1/approvals and /k8s/admission: verification, approvals and admission. */
export function addPromotionRoutes(app: Hono, leash: Leash): void {
  app.post("/v1/verify", async (c) => {
    let body: ReturnType<typeof verifyBody.parse>;
    try {
      body = parseBody(verifyBody, await readBody(c, MAX_VERIFY_BODY_BYTES));
    } catch (err) {
      return refuse(c, leash, "verify", "provenance.verify", err);
    }
    const caller = { token: bearerToken(c), dpop: dpopInput(c, leash.issuer) };
    const decided = await verifyProvenance(leash, caller, {
      bundle: body.bundle,
      digest: body.digest,
      policy: toIdentityPolicy(body.policy),
    });
    if (!decided.ok) return renderError(c, decided.error, decided.decisionId);
    const { id, identity, facts } = decided.value;
    return c.json({ verified: true, id, decision_id: decided.decisionId, identity, facts });
  });

  app.post("/v1/approvals", async (c) => {
    const denied = await requireAdmin(c, leash, "approve");
    if (denied) return denied;
    let body: ReturnType<typeof approvalBody.parse>;
    try {
      body = parseBody(approvalBody, await readBody(c));
    } catch (err) {
      return refuse(c, leash, "approve", "approve", err);
    }
    const decided = await approveAction(leash, {
      action: body.action,
      resource: body.resource,
      repositoryId: body.repository_id,
      ...(body.environment ? { environment: body.environment } : {}),
      ...(body.digest ? { digest: body.digest } : {}),
      ...(body.sha ? { sha: body.sha } : {}),
      approver: body.approver,
      expiresInSeconds: parseDurationSeconds(body.expires_in) ?? 0,
    });
    if (!decided.ok) return renderError(c, decided.error, decided.decisionId);
    const { id, envelope, expiresAtMs } = decided.value;
    return c.json(
      {
        id,
        envelope,
        expires_at: new Date(expiresAtMs).toISOString(),
        decision_id: decided.decisionId,
      },
      201,
    );
  });

  app.post("/k8s/admission", async (c) => {
    let review: Record<string, unknown>;
    try {
      review = await readBody(c, MAX_ADMISSION_BODY_BYTES);
    } catch (err) {
      return refuse(c, leash, "admission", ADMIT_ACTION, err);
    }
    const decided = await admitWorkload(leash, { token: bearerToken(c), review });
    if (!decided.ok) return renderError(c, decided.error, decided.decisionId);
    const { uid, ...verdict } = decided.value;
    return c.json(toAdmissionReview(uid, verdict));
  });
}

/** `POST /v1/attestations` with `kind: "provenance"`: the body was read by the attestations route. */
export async function attestProvenanceRoute(c: Context, leash: Leash, raw: unknown) {
  let body: ReturnType<typeof provenanceBody.parse>;
  try {
    body = parseBody(provenanceBody, raw);
  } catch (err) {
    return refuse(c, leash, "attest", "artifact.publish", err);
  }
  const caller = { token: bearerToken(c), dpop: dpopInput(c, leash.issuer) };
  const { name, digest } = body.artifact;
  const decided = await attestProvenance(leash, caller, {
    artifact: name === undefined ? { digest } : { name, digest },
  });
  if (!decided.ok) return renderProvenanceRefusal(c, decided.error, decided.decisionId);
  const result = decided.value;
  if (!result.signed) {
    // Observe mode, would deny: the caller goes on, without provenance.
    return c.json({ ...toAuthorizeJson(decided.decisionId, result.answer), signed: false }, 200);
  }
  const { id, envelope, bundle } = result;
  return c.json({ id, envelope, bundle, decision_id: decided.decisionId }, 201);
}

/** A publish deny carries the policy's reasons, as an authorize deny does. */
function renderProvenanceRefusal(c: Context, error: LeashError, decisionId: string) {
  const reasons = error.detail?.["reasons"];
  if (error.code !== "ERR_PUBLISH_DENIED" || !Array.isArray(reasons)) {
    return renderError(c, error, decisionId);
  }
  c.header("Cache-Control", "no-store");
  return c.json(
    {
      error: error.error,
      error_description: error.message,
      code: error.code,
      decision_id: decisionId,
      reasons,
    },
    403,
  );
}

async function refuse(c: Context, leash: Leash, type: DecisionType, action: string, err: unknown) {
  const refused = await recordRefusal(leash, type, action, toLeashError(err));
  return renderError(c, refused.error, refused.decisionId);
}

function toIdentityPolicy(p: IdentityPolicyBody): IdentityPolicy {
  const out: IdentityPolicy = {};
  if (p.repo) out.repo = p.repo;
  if (p.repo_id) out.repoId = p.repo_id;
  if (p.owner_id) out.ownerId = p.owner_id;
  if (p.signer_repo) out.signerRepo = p.signer_repo;
  if (p.signer_workflow) out.signerWorkflow = p.signer_workflow;
  if (p.source_ref) out.sourceRef = p.source_ref;
  if (p.cert_oidc_issuer) out.certOidcIssuer = p.cert_oidc_issuer;
  if (p.deny_self_hosted_runners) out.denySelfHostedRunners = true;
  if (p.predicate_type) out.predicateType = p.predicate_type;
  return out;
}
