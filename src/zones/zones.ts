/** The five trust zones of a pipeline, in the order work flows through them. */
export const ZONES = ["planning", "editing", "validation", "publishing", "deployment"] as const;
export type Zone = (typeof ZONES)[number];

/** Actions every zone accepts: reads can be broad (secret reads are still policy-gated). */
const EVERY_ZONE = ["repo.read", "secret.read"] as const;

/** What an agent may be granted in each zone; a capability holds only what its rule lists. */
export const ZONE_ACTIONS: Readonly<Record<Zone, readonly string[]>> = {
  planning: [...EVERY_ZONE, "plan.submit"],
  editing: [...EVERY_ZONE, "code.write", "dependency.change", "infra.change", "change.attest"],
  // Validation may also describe a change (lockfile diff, plan, drift check): a description
  // from outside the actor's zone is what scopes scans and justifies a drift-free change.
  validation: [...EVERY_ZONE, "test.attest", "scan.attest", "change.attest"],
  publishing: [...EVERY_ZONE, "artifact.publish", "provenance.attest"],
  deployment: [...EVERY_ZONE, "deploy"],
};

/** Actions that change something outside the job: code, dependencies, infrastructure, artifacts, environments. */
export const WRITE_ACTIONS: ReadonlySet<string> = new Set([
  "code.write",
  "dependency.change",
  "infra.change",
  "artifact.publish",
  "provenance.attest",
  "deploy",
]);

/**
 * Actions that vouch: they produce the attested evidence another zone's writes and deploys
 * are let through on (tests passed, scans clean, a change described, provenance). They change
 * nothing outside the job themselves, but a forged attestation opens the same doors as a
 * write, so trust rules guard them like writes (see {@link writesOrVouches}).
 */
export const VOUCH_ACTIONS: ReadonlySet<string> = new Set([
  "change.attest",
  "test.attest",
  "scan.attest",
  "provenance.attest",
]);

/** Longest a capability with any write or vouch action may live. */
export const MAX_WRITE_TTL_SECONDS = 15 * 60;
/** Longest a capability that neither writes nor vouches may live. */
export const MAX_READ_TTL_SECONDS = 60 * 60;

export function isZone(value: string): value is Zone {
  return (ZONES as readonly string[]).includes(value);
}

/**
 * True when any of `actions` writes outside the job or vouches for evidence that lets a write
 * through. A rule granting such an action gets every write protection: the event and runner
 * guards, id pinning and the 15-minute TTL cap.
 */
export function writesOrVouches(actions: readonly string[]): boolean {
  return actions.some((a) => WRITE_ACTIONS.has(a) || VOUCH_ACTIONS.has(a));
}

/** The TTL cap for a set of actions: 15 minutes when any writes or vouches, else 1 hour. */
export function maxTtlSeconds(actions: readonly string[]): number {
  return writesOrVouches(actions) ? MAX_WRITE_TTL_SECONDS : MAX_READ_TTL_SECONDS;
}
