import { sign } from "node:crypto";
import type { Clock } from "../clock/index.js";
import { toEpochSeconds } from "../clock/index.js";
import { createId } from "../encoding/index.js";
import type { Zone } from "../zones/index.js";
import { CAPABILITY_JWT_TYPE, type JobContext } from "./capability.js";
import type { SigningKey } from "./key-ring.js";

export interface MintInput {
  subject: string;
  zone: Zone;
  actions: string[];
  rule: string;
  ttlSeconds: number;
  job: JobContext;
  jkt: string | undefined;
}

export interface MintedCapability {
  token: string;
  id: string;
  issuedAtMs: number;
  expiresAtMs: number;
}

/**
 * Mints a capability JWT (ES256) bound to the job and one zone. `iss` and `aud` are leash's
 * public URL: a capability is only good at the leash that issued it. The caller has already
 * capped `ttlSeconds` by zone. Pure apart from the random id.
 */
export function mintCapability(
  input: MintInput,
  key: SigningKey,
  opts: { clock: Clock; issuer: string },
): MintedCapability {
  const id = createId("cap");
  const iat = toEpochSeconds(opts.clock.now());
  const exp = iat + input.ttlSeconds;
  const payload = {
    iss: opts.issuer,
    aud: opts.issuer,
    sub: input.subject,
    jti: id,
    iat,
    nbf: iat,
    exp,
    zone: input.zone,
    actions: input.actions,
    rule: input.rule,
    job: toJobClaims(input.job),
    ...(input.jkt ? { cnf: { jkt: input.jkt } } : {}),
  };
  const header = { alg: key.alg, typ: CAPABILITY_JWT_TYPE, kid: key.kid };
  const signingInput = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(payload))}`;
  const signature = sign("sha256", Buffer.from(signingInput), {
    key: key.privateKey,
    dsaEncoding: "ieee-p1363",
  });
  return {
    token: `${signingInput}.${signature.toString("base64url")}`,
    id,
    issuedAtMs: iat * 1000,
    expiresAtMs: exp * 1000,
  };
}

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64url");

/** Job context as snake_case claims (wire format). */
export function toJobClaims(job: JobContext): Record<string, string> {
  return {
    issuer: job.issuer,
    repository: job.repository,
    repository_id: job.repositoryId,
    owner: job.owner,
    owner_id: job.ownerId,
    ref: job.ref,
    sha: job.sha,
    workflow_ref: job.workflowRef,
    job_workflow_ref: job.jobWorkflowRef,
    run_id: job.runId,
    run_attempt: job.runAttempt,
    event: job.event,
    ...(job.environment ? { environment: job.environment } : {}),
    runner_environment: job.runnerEnvironment,
    actor: job.actor,
  };
}
