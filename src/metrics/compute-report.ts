import type { DecisionRecord } from "../audit/index.js";
import { hasWrites, MAX_WRITE_TTL_SECONDS, WRITE_ACTIONS } from "../zones/index.js";
import { computeRevocationTime } from "./compute-revocation-time.js";
import { type IssuedCapability, indexCapabilities } from "./index-capabilities.js";
import { percentile } from "./percentile.js";
import {
  type CredentialLifetime,
  type DenialCategory,
  type DeniedActions,
  type LatencyStage,
  type ProvenanceCoverage,
  REPORT_SCHEMA_VERSION,
  type Report,
  type RuleSurface,
  type StageLatency,
} from "./report.js";
import { isDeployRecord, readCapabilityId, readProvenanceVerified } from "./to-metric-labels.js";

export interface ReportWindow {
  sinceMs: number;
  untilMs: number;
  /** When the report was made (the caller's clock). */
  nowMs: number;
}

/** Records that are not an agent using its capability, so they never count as a "use". */
const NOT_USES = new Set(["exchange", "revoke", "introspect", "admin"]);
const EDIT_ACTIONS = new Set(["code.write", "dependency.change", "infra.change"]);
const PUBLISH_ACTIONS = new Set(["artifact.publish", "provenance.attest"]);
const STAGES: readonly LatencyStage[] = ["exchange", "edit", "publish", "deploy", "other"];

/** The zero-trust figures from decision records: pure, records in, report out. */
export function computeReport(records: readonly DecisionRecord[], window: ReportWindow): Report {
  const capabilities = indexCapabilities(records);
  return {
    schema_version: REPORT_SCHEMA_VERSION,
    generated_at: new Date(window.nowMs).toISOString(),
    window: {
      since: new Date(window.sinceMs).toISOString(),
      until: new Date(window.untilMs).toISOString(),
    },
    records: records.length,
    credential_lifetime: computeLifetime([...capabilities.values()]),
    permission_surface: { by_rule: computeSurface(records, capabilities) },
    denied_actions: computeDenials(records),
    policy_latency: { by_stage: computeLatency(records) },
    revocation_time: computeRevocationTime(records, capabilities),
    provenance_coverage: computeProvenance(records),
  };
}

function computeLifetime(caps: readonly IssuedCapability[]): CredentialLifetime {
  const byZone = groupBy(caps, (c) => c.zone);
  const writers = caps.filter((c) => hasWrites(c.actions));
  const within = writers.filter((c) => c.ttlSeconds <= MAX_WRITE_TTL_SECONDS).length;
  return {
    by_zone: [...byZone].sort(byKey).map(([zone, list]) => {
      const ttls = list.map((c) => c.ttlSeconds);
      return {
        zone,
        capabilities: list.length,
        median_seconds: percentile(ttls, 0.5) ?? 0,
        max_seconds: Math.max(...ttls),
      };
    }),
    write_capable: {
      capabilities: writers.length,
      within_15_minutes: within,
      share: ratio(within, writers.length),
    },
  };
}

function computeSurface(
  records: readonly DecisionRecord[],
  capabilities: ReadonlyMap<string, IssuedCapability>,
): RuleSurface[] {
  const uses = new Map<string, Record<string, number>>();
  for (const r of records) {
    const cap = capabilities.get(readCapabilityId(r) ?? "");
    if (!cap || !r.action || NOT_USES.has(r.type)) continue;
    const counts = uses.get(cap.rule) ?? {};
    counts[r.action] = (counts[r.action] ?? 0) + 1;
    uses.set(cap.rule, counts);
  }
  const byRule = groupBy([...capabilities.values()], (c) => c.rule);
  return [...byRule].sort(byKey).map(([rule, caps]) => {
    const granted = [...new Set(caps.flatMap((c) => c.actions))].sort();
    const counts = uses.get(rule) ?? {};
    return {
      rule,
      zones: [...new Set(caps.map((c) => c.zone))].sort(),
      capabilities: caps.length,
      granted,
      used: Object.keys(counts).sort(),
      unused: granted.filter((a) => counts[a] === undefined),
      uses: Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b))),
    };
  });
}

function toDenialCategory(r: DecisionRecord): DenialCategory | undefined {
  if (isDeployRecord(r)) return "promotions";
  if (r.action === "secret.read" || r.type === "secret") return "secret_reads";
  if (r.action && WRITE_ACTIONS.has(r.action)) return "writes";
  return undefined;
}

function computeDenials(records: readonly DecisionRecord[]): DeniedActions {
  const runs = new Set<string>();
  const zero = () => ({ writes: 0, secret_reads: 0, promotions: 0 });
  const denied = zero();
  const wouldDeny = zero();
  for (const r of records) {
    const repo = r.principal?.["repository_id"];
    const run = r.principal?.["run_id"];
    if (r.type === "exchange" && typeof repo === "string" && typeof run === "string")
      runs.add(`${repo}/${run}`);
    const category = toDenialCategory(r);
    if (!category) continue;
    if (r.result === "deny") denied[category]++;
    if (r.would_deny) wouldDeny[category]++;
  }
  const per1000 = (n: number) => (runs.size === 0 ? null : round((n * 1000) / runs.size));
  return {
    runs: runs.size,
    denied,
    per_1000_runs: {
      writes: per1000(denied.writes),
      secret_reads: per1000(denied.secret_reads),
      promotions: per1000(denied.promotions),
    },
    would_deny: wouldDeny,
  };
}

function toStage(r: DecisionRecord): LatencyStage {
  if (r.type === "exchange") return "exchange";
  if (isDeployRecord(r)) return "deploy";
  if (r.action && EDIT_ACTIONS.has(r.action)) return "edit";
  if (r.action && PUBLISH_ACTIONS.has(r.action)) return "publish";
  return "other";
}

function computeLatency(records: readonly DecisionRecord[]): StageLatency[] {
  const byStage = groupBy(
    records.filter((r) => typeof r.latency_ms === "number"),
    toStage,
  );
  return STAGES.filter((s) => byStage.has(s)).map((stage) => {
    const ms = (byStage.get(stage) ?? []).map((r) => r.latency_ms);
    return {
      stage,
      decisions: ms.length,
      p50_ms: percentile(ms, 0.5) ?? 0,
      p99_ms: percentile(ms, 0.99) ?? 0,
    };
  });
}

function computeProvenance(records: readonly DecisionRecord[]): ProvenanceCoverage {
  const out = { deploys: 0, verified: 0, unverified: 0, unknown: 0 };
  for (const r of records) {
    if (!isDeployRecord(r)) continue;
    out.deploys++;
    const verified = readProvenanceVerified(r);
    if (verified === undefined) out.unknown++;
    else if (verified) out.verified++;
    else out.unverified++;
  }
  return { ...out, share: ratio(out.verified, out.deploys) };
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

const byKey = ([a]: [string, unknown], [b]: [string, unknown]) => a.localeCompare(b);
const round = (n: number) => Math.round(n * 100) / 100;
const ratio = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10_000) / 10_000);
