import type { Hono } from "hono";
import { exchangeToken, ISSUED_TOKEN_TYPE, type Leash, recordRefusal } from "../../broker/index.js";
import { toLeashError } from "../../errors/index.js";
import { dpopInput, readBody, toStringParams } from "../read-request.js";
import { renderError } from "../render-error.js";

/** POST /v1/token: RFC 8693 token exchange, JSON or form-encoded. */
export function addTokenRoutes(app: Hono, leash: Leash): void {
  app.post("/v1/token", async (c) => {
    let params: Record<string, string | undefined>;
    try {
      params = toStringParams(await readBody(c, 64 * 1024));
    } catch (err) {
      const refused = await recordRefusal(leash, "exchange", "token.exchange", toLeashError(err));
      return renderError(c, refused.error, refused.decisionId);
    }
    const decided = await exchangeToken(leash, { params, dpop: dpopInput(c, leash.issuer) });
    if (!decided.ok) return renderError(c, decided.error, decided.decisionId);
    const r = decided.value;
    c.header("Cache-Control", "no-store");
    return c.json({
      access_token: r.capability,
      issued_token_type: ISSUED_TOKEN_TYPE,
      token_type: r.dpopBound ? "DPoP" : "Bearer",
      expires_in: r.expiresIn,
      scope: r.scope,
      capability_id: r.capabilityId,
      zone: r.zone,
      actions: r.actions,
      decision_id: decided.decisionId,
    });
  });
}
