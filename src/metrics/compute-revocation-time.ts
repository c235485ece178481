import type { DecisionRecord } from "../audit/index.js";
import type { IssuedCapability } from "./index-capabilities.js";
import { percentile } from "./percentile.js";
import type { RevocationTime } from "./report.js";
import { readCapabilityId } from "./to-metric-labels.js";

export interface Revocation {
  kind: string;
  value: string;
  ms: number;
}

export interface Refusal {
  capabilityId: string;
  kind: string | undefined;
  ms: number;
}

/**
 * Revoke → first refusal of a capability the revocation covers, per revocation. It bounds
 * propagation from above: the time also includes however long the agent took to try again.
 * Takes the revocations and revocation refusals of the window (`toRevocation`, `toRefusal`).
 */
export function computeRevocationTime(
  revocations: readonly Revocation[],
  refusals: readonly Refusal[],
  capabilities: ReadonlyMap<string, IssuedCapability>,
): RevocationTime {
  const delays: number[] = [];
  for (const rev of revocations) {
    let first: number | undefined;
    for (const f of refusals) {
      if (f.ms < rev.ms || (first !== undefined && f.ms >= first)) continue;
      if (covers(rev, f, capabilities.get(f.capabilityId))) first = f.ms;
    }
    if (first !== undefined) delays.push(first - rev.ms);
  }
  return {
    revocations: revocations.length,
    observed: delays.length,
    p50_ms: percentile(delays, 0.5) ?? null,
    p99_ms: percentile(delays, 0.99) ?? null,
    max_ms: delays.length > 0 ? Math.max(...delays) : null,
  };
}

/** The revocation an allowed revoke record made, if it is one. */
export function toRevocation(r: DecisionRecord): Revocation[] {
  if (r.type !== "revoke" || r.result !== "allow") return [];
  const kind = r.resource?.["kind"];
  const value = r.resource?.["id"];
  if (typeof kind !== "string" || typeof value !== "string") return [];
  return [{ kind, value, ms: Date.parse(r.timestamp) }];
}

/** The refusal of a revoked capability a record holds, if it is one. */
export function toRefusal(r: DecisionRecord): Refusal[] {
  if (r.code !== "ERR_CAPABILITY_REVOKED") return [];
  const capabilityId = readCapabilityId(r);
  if (!capabilityId) return [];
  const refusal = r.detail?.["refusal"] as Record<string, unknown> | undefined;
  const kind = typeof refusal?.["revoked_by"] === "string" ? refusal["revoked_by"] : undefined;
  return [{ capabilityId, kind, ms: Date.parse(r.timestamp) }];
}

function covers(rev: Revocation, f: Refusal, cap: IssuedCapability | undefined): boolean {
  if (f.kind !== undefined && f.kind !== rev.kind) return false;
  if (rev.kind === "capability") return rev.value === f.capabilityId;
  // Run, repository and subject revocations cover capabilities issued up to that moment.
  if (!cap || cap.issuedMs > rev.ms) return false;
  if (rev.kind === "run") return `${cap.repositoryId}/${cap.runId}` === rev.value;
  if (rev.kind === "repository") return cap.repositoryId === rev.value;
  if (rev.kind === "subject") return cap.subject === rev.value;
  return false;
}
