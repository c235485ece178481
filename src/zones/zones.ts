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

/** Longest a capability with any write action may live. */
export const MAX_WRITE_TTL_SECONDS = 15 * 60;
/** Longest a read-only capability may live. */
export const MAX_READ_TTL_SECONDS = 60 * 60;

export function isZone(value: string): value is Zone {
  return (ZONES as readonly string[]).includes(value);
}

/** True when any of `actions` writes outside the job. */
export function hasWrites(actions: readonly string[]): boolean {
  return actions.some((a) => WRITE_ACTIONS.has(a));
}

/** The TTL cap for a set of actions. */
export function maxTtlSeconds(actions: readonly string[]): number {
  return hasWrites(actions) ? MAX_WRITE_TTL_SECONDS : MAX_READ_TTL_SECONDS;
}
