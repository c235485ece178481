import type { Context, Hono } from "hono";
import {
  brokerError,
  introspectCapability,
  type Leash,
  recordRefusal,
  revokeCapabilities,
} from "../../broker/index.js";
import { toLeashError } from "../../errors/index.js";
import { bearerToken, readBody } from "../read-request.js";
import { renderError } from "../render-error.js";

/** Admin endpoints: introspection (RFC 7662) and revocation, behind the admin token. */
export function addAdminRoutes(app: Hono, leash: Leash): void {
  app.post("/v1/introspect", async (c) => {
    const denied = await requireAdmin(c, leash, "capability.introspect");
    if (denied) return denied;
    const body = await readBody(c).catch(() => ({}) as Record<string, unknown>);
    const token = typeof body["token"] === "string" ? body["token"] : undefined;
    c.header("Cache-Control", "no-store");
    return c.json(await introspectCapability(leash, token));
  });

  app.post("/v1/revoke", async (c) => {
    const denied = await requireAdmin(c, leash, "capability.revoke");
    if (denied) return denied;
    let body: Record<string, unknown>;
    try {
      body = await readBody(c);
    } catch (err) {
      const refused = await recordRefusal(leash, "revoke", "capability.revoke", toLeashError(err));
      return renderError(c, refused.error, refused.decisionId);
    }
    const decided = await revokeCapabilities(leash, body);
    if (!decided.ok) return renderError(c, decided.error, decided.decisionId);
    const { kind, value, revokedAt } = decided.value;
    return c.json({
      revoked: true,
      kind,
      value,
      revoked_at: revokedAt,
      decision_id: decided.decisionId,
    });
  });
}

/** Admin reads of the decision log and policy reload. */
export function addAdminLogRoutes(app: Hono, leash: Leash): void {
  app.get("/v1/decisions/:id", async (c) => {
    const denied = await requireAdmin(c, leash, "decision.read");
    if (denied) return denied;
    const row = await leash.store.getDecision(c.req.param("id"));
    if (!row)
      return c.json(
        {
          error: "invalid_request",
          error_description:
            "no decision with that id is on record (it may have been pruned); find ids with leash audit query",
          code: "ERR_DECISION_NOT_FOUND",
        },
        404,
      );
    return c.json({ ...JSON.parse(row.body), chain: row.chain, seq: row.seq, hash: row.hash });
  });

  app.post("/v1/policy/reload", async (c) => {
    const denied = await requireAdmin(c, leash, "policy.reload");
    if (denied) return denied;
    try {
      const sets = leash.policy.reload();
      return c.json({
        reloaded: true,
        policy_set_digest: sets.digest,
        shadow_policy_set_digest: sets.shadowDigest ?? null,
      });
    } catch (err) {
      // The last good set stays in force.
      const e = toLeashError(err);
      return c.json(
        {
          reloaded: false,
          error: e.error,
          error_description: e.message,
          code: e.code,
          policy_set_digest: leash.policy.active.digest,
        },
        400,
      );
    }
  });
}

/** Returns a refusal response (recorded) unless the request carries the admin token. */
export async function requireAdmin(c: Context, leash: Leash, action: string) {
  if (leash.adminToken.check(bearerToken(c))) return undefined;
  const err = brokerError(
    "ERR_ADMIN_UNAUTHENTICATED",
    "this endpoint needs the admin token as Authorization: Bearer <token> (LEASH_ADMIN_TOKEN, or the file leash serve printed)",
  );
  const refused = await recordRefusal(leash, "admin", action, err);
  return renderError(c, refused.error, refused.decisionId);
}
