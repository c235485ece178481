/**
 * @module gateway/exec
 * `leash exec`: runs an agent command with a scrubbed environment (an allowlist, never a
 * credential-looking name unless config allows it), the capability injected as
 * LEASH_CAPABILITY, a loopback relay as LEASH_URL that learns every leased secret value, and
 * stdout/stderr passed through streaming redactors that mask those values, the capability and
 * well-known credential shapes. Must never print, record or return an environment value, nor
 * add a credential of its own to a relayed request. Redaction is best effort against accidental
 * leaks, not a barrier against deliberate exfiltration.
 */

export type { Redactor } from "./create-redactor.js";
export {
  createRedactor,
  MAX_HOLD_CHARS,
  MAX_KEY_BLOCK_CHARS,
  MIN_LITERAL_LENGTH,
} from "./create-redactor.js";
export type { ExecErrorCode } from "./exec-errors.js";
export { EXEC_ERRORS } from "./exec-errors.js";
export type { JobRepository } from "./git-config-for-gateway.js";
export { gitConfigForGateway, readJobRepository } from "./git-config-for-gateway.js";
export type {
  ExecOutcome,
  RunUnderLeashOptions,
  SignalSource,
} from "./run-under-leash.js";
export { FORWARDED_SIGNALS, runUnderLeash } from "./run-under-leash.js";
export type { ScrubbedEnvironment, ScrubOptions } from "./scrub-environment.js";
export { looksLikeCredential, scrubEnvironment } from "./scrub-environment.js";
export type { LeaseRelay, LeaseRelayOptions } from "./start-lease-relay.js";
export { MAX_LEASE_RESPONSE_BYTES, startLeaseRelay } from "./start-lease-relay.js";
