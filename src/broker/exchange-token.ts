import { type JobContext, mintCapability } from "../capability/index.js";
import { sha256Hex } from "../encoding/index.js";
import type { VerifiedOidcToken, WorkloadIdentity } from "../identity/index.js";
import { type Grant, matchTrust } from "../trust/index.js";
import { brokerError } from "./broker-errors.js";
import { type DpopInput, verifyRequestProof } from "./check-dpop.js";
import type { Leash } from "./leash.js";
import { parseExchangeParams } from "./parse-exchange-params.js";
import { type Decided, type DraftRecord, recordDecision, startRecord } from "./record-decision.js";

export interface ExchangeInput {
  /** The RFC 8693 form/JSON fields, as received. */
  params: Readonly<Record<string, string | undefined>>;
  dpop: DpopInput | undefined;
}

export interface ExchangeResult {
  capability: string;
  capabilityId: string;
  zone: string;
  actions: string[];
  expiresIn: number;
  scope: string;
  dpopBound: boolean;
}

/**
 * The exchange: OIDC token in, capability out. Verify the token, spend it once, match a trust
 * rule for the requested zone, bind to a DPoP key if one is presented (or the rule demands it),
 * mint. Every exchange, granted or refused, is one decision record.
 */
export async function exchangeToken(
  leash: Leash,
  input: ExchangeInput,
): Promise<Decided<ExchangeResult>> {
  const record = startRecord(leash, "exchange");
  record.action = "token.exchange";
  return recordDecision(leash, record, async () => {
    const subjectToken = input.params["subject_token"];
    if (subjectToken) record.detail = { token_sha256: sha256Hex(subjectToken) };
    const params = parseExchangeParams(input.params);
    record.resource = { type: "Zone", id: params.zone };
    const verified = await leash.oidc.verify(params.subjectToken);
    notePrincipal(record, verified);
    await spendToken(leash, verified);
    const grant = matchTrust(leash.config.trust, verified.identity, params.zone, params.actions);
    record.detail = { ...record.detail, rule: grant.rule };
    const jkt = await bindProof(leash, grant, input.dpop);
    return issue(leash, record, verified, grant, jkt);
  });
}

function notePrincipal(record: DraftRecord, verified: VerifiedOidcToken): void {
  const id = verified.identity;
  record.principal = {
    issuer: id.issuer,
    subject: id.subject,
    repository: id.repository,
    repository_id: id.repositoryId,
    owner_id: id.ownerId,
    ref: id.ref,
    sha: id.sha,
    job_workflow_ref: id.jobWorkflowRef,
    event: id.event,
    run_id: id.runId,
    run_attempt: id.runAttempt,
    environment: id.environment,
    runner_environment: id.runnerEnvironment,
    actor: id.actor,
  };
}

/** Each OIDC token is exchanged once: its jti (or hash) is claimed atomically in the store. */
async function spendToken(leash: Leash, verified: VerifiedOidcToken): Promise<void> {
  const key = `oidc:${verified.identity.issuer}:${verified.replayKey}`;
  const first = await leash.store.claimOnce(key, verified.expiresAtMs + 60_000, leash.clock.now());
  if (!first) {
    throw brokerError(
      "ERR_EXCHANGE_TOKEN_REPLAYED",
      "this OIDC token was already exchanged; request a fresh ID token from the CI provider",
    );
  }
}

async function bindProof(
  leash: Leash,
  grant: Grant,
  dpop: DpopInput | undefined,
): Promise<string | undefined> {
  if (!dpop?.proof) {
    if (grant.requireDpop) {
      throw brokerError(
        "ERR_EXCHANGE_DPOP_REQUIRED",
        `rule ${grant.rule} requires a sender-constrained capability: send a DPoP proof header`,
      );
    }
    return undefined;
  }
  return (await verifyRequestProof(leash, dpop, undefined)).jkt;
}

function issue(
  leash: Leash,
  record: DraftRecord,
  verified: VerifiedOidcToken,
  grant: Grant,
  jkt: string | undefined,
): ExchangeResult {
  const id = verified.identity;
  const ttlSeconds = grant.ttlSeconds;
  const minted = mintCapability(
    {
      subject: id.subject,
      zone: grant.zone,
      actions: grant.actions,
      rule: grant.rule,
      ttlSeconds,
      job: toJobContext(id),
      jkt,
    },
    leash.keyRing.current(),
    { clock: leash.clock, issuer: leash.issuer },
  );
  record.result = "allow";
  record.principal = { ...record.principal, capability_id: minted.id, zone: grant.zone };
  record.detail = {
    ...record.detail,
    capability_id: minted.id,
    zone: grant.zone,
    actions: grant.actions,
    ttl_seconds: ttlSeconds,
    expires_at: new Date(minted.expiresAtMs).toISOString(),
    dpop_bound: jkt !== undefined,
  };
  return {
    capability: minted.token,
    capabilityId: minted.id,
    zone: grant.zone,
    actions: grant.actions,
    expiresIn: ttlSeconds,
    scope: [`zone:${grant.zone}`, ...grant.actions].join(" "),
    dpopBound: jkt !== undefined,
  };
}

/** The job a capability is bound to: exactly the identity fields it carries, nothing more. */
function toJobContext(id: WorkloadIdentity): JobContext {
  return {
    issuer: id.issuer,
    repository: id.repository,
    repositoryId: id.repositoryId,
    owner: id.owner,
    ownerId: id.ownerId,
    ref: id.ref,
    sha: id.sha,
    workflowRef: id.workflowRef,
    jobWorkflowRef: id.jobWorkflowRef,
    runId: id.runId,
    runAttempt: id.runAttempt,
    event: id.event,
    environment: id.environment,
    runnerEnvironment: id.runnerEnvironment,
    actor: id.actor,
  };
}
