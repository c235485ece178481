import type { DecisionRecord } from "../audit/index.js";
import { MAX_WRITE_TTL_SECONDS, WRITE_ACTIONS, writesOrVouches } from "../zones/index.js";
import {
  computeRevocationTime,
  type Refusal,
  type Revocation,
  toRefusal,
  toRevocation,
} from "./compute-revocation-time.js";
import { type IssuedCapability, toIssuedCapability } from "./index-capabilities.js";
import { percentile } from "./percentile.js";
import {
  type CredentialLifetime,
  type DenialCategory,
  type DeniedActions,
  type LatencyStage,
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
export function computeReport(records: Iterable<DecisionRecord>, window: ReportWindow): Report {
  const report = createReportAccumulator();
  for (const r of records) report.add(r);
  return report.finish(window);
}

/** Takes decision records one at a time, keeping only what the figures need of each. */
export interface ReportAccumulator {
  add(record: DecisionRecord): void;
  finish(window: ReportWindow): Report;
}

/**
 * The report over a stream of records: `leash report` folds a window of any length into it
 * page by page instead of holding every record (≈ 1 KB each, several in memory). What stays
 * is small: the capabilities issued, action counts per capability, one latency number per
 * record, the revocations and the refusals they caused.
 */
export function createReportAccumulator(): ReportAccumulator {
  let records = 0;
  const capabilities = new Map<string, IssuedCapability>();
  const uses = new Map<string, Record<string, number>>();
  const denials = createDenialCounts();
  const latencies = new Map<LatencyStage, number[]>();
  const revocations: Revocation[] = [];
  const refusals: Refusal[] = [];
  const provenance = { deploys: 0, verified: 0, unverified: 0, unknown: 0 };
  return {
    add(r) {
      records++;
      const cap = toIssuedCapability(r);
      if (cap) capabilities.set(cap.id, cap);
      noteUse(uses, r);
      denials.add(r);
      if (typeof r.latency_ms === "number") {
        const stage = toStage(r);
        const list = latencies.get(stage);
        if (list) list.push(r.latency_ms);
        else latencies.set(stage, [r.latency_ms]);
      }
      revocations.push(...toRevocation(r));
      refusals.push(...toRefusal(r));
      noteProvenance(provenance, r);
    },
    finish(window) {
      return {
        schema_version: REPORT_SCHEMA_VERSION,
        generated_at: new Date(window.nowMs).toISOString(),
        window: {
          since: new Date(window.sinceMs).toISOString(),
          until: new Date(window.untilMs).toISOString(),
        },
        records,
        credential_lifetime: computeLifetime([...capabilities.values()]),
        permission_surface: { by_rule: computeSurface(uses, capabilities) },
        denied_actions: denials.finish(),
        policy_latency: { by_stage: computeLatency(latencies) },
        revocation_time: computeRevocationTime(revocations, refusals, capabilities),
        provenance_coverage: {
          ...provenance,
          share: ratio(provenance.verified, provenance.deploys),
        },
      };
    },
  };
}

function computeLifetime(caps: readonly IssuedCapability[]): CredentialLifetime {
  const byZone = groupBy(caps, (c) => c.zone);
  // The 15-minute cap holds for capabilities that write or vouch (attest) alike.
  const writers = caps.filter((c) => writesOrVouches(c.actions));
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

/** Counts an agent's use of its capability, by capability id; rules are joined at the end. */
function noteUse(uses: Map<string, Record<string, number>>, r: DecisionRecord): void {
  const id = readCapabilityId(r);
  if (!id || !r.action || NOT_USES.has(r.type)) return;
  const counts = uses.get(id) ?? {};
  counts[r.action] = (counts[r.action] ?? 0) + 1;
  uses.set(id, counts);
}

function computeSurface(
  usesByCapability: ReadonlyMap<string, Record<string, number>>,
  capabilities: ReadonlyMap<string, IssuedCapability>,
): RuleSurface[] {
  // Only uses of capabilities issued in the window count: their rule is known.
  const uses = new Map<string, Record<string, number>>();
  for (const [id, byAction] of usesByCapability) {
    const cap = capabilities.get(id);
    if (!cap) continue;
    const counts = uses.get(cap.rule) ?? {};
    for (const [action, n] of Object.entries(byAction)) counts[action] = (counts[action] ?? 0) + n;
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

/** Denied (and would-deny) writes, secret reads and promotions, and the runs they came from. */
function createDenialCounts() {
  const runs = new Set<string>();
  const zero = () => ({ writes: 0, secret_reads: 0, promotions: 0 });
  const denied = zero();
  const wouldDeny = zero();
  return {
    add(r: DecisionRecord): void {
      const repo = r.principal?.["repository_id"];
      const run = r.principal?.["run_id"];
      if (r.type === "exchange" && typeof repo === "string" && typeof run === "string")
        runs.add(`${repo}/${run}`);
      const category = toDenialCategory(r);
      if (!category) return;
      if (r.result === "deny") denied[category]++;
      if (r.would_deny) wouldDeny[category]++;
    },
    finish(): DeniedActions {
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
    },
  };
}

function toStage(r: DecisionRecord): LatencyStage {
  if (r.type === "exchange") return "exchange";
  if (isDeployRecord(r)) return "deploy";
  if (r.action && EDIT_ACTIONS.has(r.action)) return "edit";
  if (r.action && PUBLISH_ACTIONS.has(r.action)) return "publish";
  return "other";
}

function computeLatency(byStage: ReadonlyMap<LatencyStage, number[]>): StageLatency[] {
  return STAGES.filter((s) => byStage.has(s)).map((stage) => {
    const ms = byStage.get(stage) ?? [];
    return {
      stage,
      decisions: ms.length,
      p50_ms: percentile(ms, 0.5) ?? 0,
      p99_ms: percentile(ms, 0.99) ?? 0,
    };
  });
}

function noteProvenance(
  out: { deploys: number; verified: number; unverified: number; unknown: number },
  r: DecisionRecord,
): void {
  if (!isDeployRecord(r)) return;
  out.deploys++;
  const verified = readProvenanceVerified(r);
  if (verified === undefined) out.unknown++;
  else if (verified) out.verified++;
  else out.unverified++;
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
