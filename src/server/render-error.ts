import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { LeashError } from "../errors/index.js";

/**
 * The one refusal shape on the wire (RFC 6749 §5.2 plus leash's stable code and the decision
 * id the audit record carries): `{ error, error_description, code, decision_id }`.
 */
export function renderError(c: Context, err: LeashError, decisionId?: string) {
  if (err.status === 401) {
    c.header("WWW-Authenticate", `Bearer error="${err.error}", error_description="${err.code}"`);
  }
  c.header("Cache-Control", "no-store");
  return c.json(
    {
      error: err.error,
      error_description: err.message,
      code: err.code,
      ...(decisionId ? { decision_id: decisionId } : {}),
    },
    err.status as ContentfulStatusCode,
  );
}
