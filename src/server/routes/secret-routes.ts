import type { Context, Hono } from "hono";
import { z } from "zod";
import {
  type Leash,
  leaseSecret,
  putSecret,
  readSecretForLeash,
  recordRefusal,
  type SecretLease,
} from "../../broker/index.js";
import { type LeashError, toLeashError } from "../../errors/index.js";
import {
  createEnvUpstreamCredential,
  type GetUpstreamCredential,
} from "../../gateway/git/index.js";
import { SECRET_ERRORS } from "../../secrets/index.js";
import { bearerToken, dpopInput, readBody } from "../read-request.js";
import { renderError } from "../render-error.js";
import { parseBody } from "../request-schemas.js";
import { requireAdmin } from "./admin-routes.js";

const putBody = z.strictObject({ value: z.string() });
const leaseBody = z.strictObject({ purpose: z.string().max(1000).optional() });

/**
 * The secret broker: PUT /v1/secrets/:name (admin token, `{ value }`), POST
 * /v1/secrets/:name/lease (capability, `{ purpose }`), GET /v1/secrets (admin: names and
 * versions). Bodies are never logged, and a value is never in an error: a refusal names the
 * field, not its content.
 */
export function addSecretRoutes(app: Hono, leash: Leash): void {
  app.put("/v1/secrets/:name", async (c) => {
    const denied = await requireAdmin(c, leash, "secret.write");
    if (denied) return denied;
    let body: z.infer<typeof putBody>;
    try {
      body = parseBody(putBody, await readBody(c));
    } catch (err) {
      return refusal(c, leash, "secret.write", toLeashError(err));
    }
    const decided = await putSecret(leash, c.req.param("name"), body.value);
    if (!decided.ok) return renderError(c, decided.error, decided.decisionId);
    const { name, version, fingerprint } = decided.value;
    c.header("Cache-Control", "no-store");
    return c.json(
      { name, version, fingerprint, decision_id: decided.decisionId },
      version === 1 ? 201 : 200,
    );
  });

  app.post("/v1/secrets/:name/lease", async (c) => {
    let body: z.infer<typeof leaseBody>;
    try {
      body = parseBody(leaseBody, await readBody(c));
    } catch (err) {
      return refusal(c, leash, "secret.read", toLeashError(err));
    }
    const caller = { token: bearerToken(c), dpop: dpopInput(c, leash.issuer) };
    const name = c.req.param("name");
    const decided = await leaseSecret(leash, caller, { name, purpose: body.purpose });
    if (!decided.ok) return renderError(c, decided.error, decided.decisionId);
    c.header("Cache-Control", "no-store");
    return renderLease(c, name, decided.value, decided.decisionId);
  });

  app.get("/v1/secrets", async (c) => {
    const denied = await requireAdmin(c, leash, "secret.list");
    if (denied) return denied;
    const secrets = (await leash.store.listSecrets()).map((s) => ({
      name: s.name,
      version: s.version,
      updated_at: new Date(s.updatedMs).toISOString(),
    }));
    return c.json({ secrets });
  });
}

/** 200 `{ value, lease_id, expires_at }`, or 403 `{ code, reasons, decision_id }` and no value. */
function renderLease(c: Context, name: string, lease: SecretLease, decisionId: string) {
  if (lease.kind === "released") {
    return c.json({
      value: lease.value,
      lease_id: lease.leaseId,
      expires_at: new Date(lease.expiresAtMs).toISOString(),
      decision_id: decisionId,
    });
  }
  const first = lease.reasons[0];
  return c.json(
    {
      error: SECRET_ERRORS.ERR_SECRET_LEASE_DENIED.error,
      error_description: first
        ? `${first.code}: ${first.message}`
        : `leash did not release secret ${name}`,
      code: "ERR_SECRET_LEASE_DENIED",
      reasons: lease.reasons,
      decision_id: decisionId,
    },
    403,
  );
}

async function refusal(c: Context, leash: Leash, action: string, err: LeashError) {
  const refused = await recordRefusal(leash, "secret", action, err);
  return renderError(c, refused.error, refused.decisionId);
}

/**
 * The git gateway's upstream credential: the brokered secret a repository's `credential`
 * names, read by leash itself (recorded, never shown to the agent); a repository without one
 * falls back to `fallback` (LEASH_UPSTREAM_TOKEN_<ID> from leash's environment by default).
 */
export function createBrokeredUpstreamCredential(
  leash: Leash,
  fallback: GetUpstreamCredential = createEnvUpstreamCredential(process.env),
): GetUpstreamCredential {
  return async (repo) =>
    repo.credential === undefined
      ? fallback(repo)
      : readSecretForLeash(leash, repo.credential, `git upstream credential for ${repo.name}`);
}
