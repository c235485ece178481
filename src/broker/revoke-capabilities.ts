import type { RevocationKind, RevocationRow } from "../store/index.js";
import { brokerError } from "./broker-errors.js";
import type { Leash } from "./leash.js";
import { type Decided, recordDecision, startRecord } from "./record-decision.js";

export interface RevokeResult {
  kind: RevocationKind;
  value: string;
  revokedAt: string;
}

/**
 * Revokes by capability id, run (`repository_id` + `run_id`), repository or subject. Takes
 * effect for the very next request on every instance: verification reads revocations from the
 * store each time. A run/repository/subject revocation covers capabilities issued until now.
 */
export async function revokeCapabilities(
  leash: Leash,
  body: Readonly<Record<string, unknown>>,
): Promise<Decided<RevokeResult>> {
  const record = startRecord(leash, "revoke");
  record.action = "capability.revoke";
  return recordDecision(leash, record, async () => {
    const target = toTarget(body);
    record.resource = { type: "Revocation", kind: target.kind, id: target.value };
    const row: RevocationRow = {
      ...target,
      revokedMs: leash.clock.now(),
      reason: String(body["reason"] ?? "").slice(0, 500),
    };
    await leash.store.insertRevocation(row);
    record.result = "allow";
    return { kind: row.kind, value: row.value, revokedAt: new Date(row.revokedMs).toISOString() };
  });
}

function toTarget(body: Readonly<Record<string, unknown>>): {
  kind: RevocationKind;
  value: string;
} {
  const str = (k: string) => {
    if (body[k] === undefined) return undefined;
    // A target given in another form (a number, an empty string) must not be dropped: without
    // its run_id, { repository_id, run_id } would revoke the whole repository.
    if (typeof body[k] !== "string" || body[k] === "")
      throw brokerError(
        "ERR_REVOKE_INVALID_TARGET",
        `${k} must be a non-empty string (e.g. "${k === "run_id" ? "1234567890" : "…"}")`,
      );
    return body[k] as string;
  };
  const cap = str("capability_id");
  const repo = str("repository_id");
  const run = str("run_id");
  const subject = str("subject");
  const given = [cap, repo, subject].filter((x) => x !== undefined).length;
  if (given === 1 && cap) return { kind: "capability", value: cap };
  if (given === 1 && repo && run) return { kind: "run", value: `${repo}/${run}` };
  if (given === 1 && repo) return { kind: "repository", value: repo };
  if (given === 1 && subject && !run) return { kind: "subject", value: subject };
  throw brokerError(
    "ERR_REVOKE_INVALID_TARGET",
    'send exactly one target: { "capability_id" }, { "repository_id", "run_id" }, { "repository_id" } or { "subject" }',
  );
}
