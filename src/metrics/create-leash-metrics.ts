import { Counter, Histogram, Registry } from "prom-client";
import type { DecisionRecord } from "../audit/index.js";
import type { ObservedOutcome } from "./observed-outcome.js";
import { createLabelGuard, isDeployRecord, readProvenanceVerified } from "./to-metric-labels.js";

/** One leash's Prometheus metrics: fed only by decision records, rendered for GET /metrics. */
export interface LeashMetrics {
  readonly registry: Registry;
  /** Counts one decision record after it was written (or failed to be). Never throws. */
  observe(record: DecisionRecord, outcome: ObservedOutcome): void;
  /** The Prometheus text exposition of every metric. */
  render(): Promise<{ contentType: string; body: string }>;
}

const LIFETIME_BUCKETS_S = [60, 120, 300, 600, 900, 1800, 3600];
const LATENCY_BUCKETS_S = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];
// Bounds on distinct label values: actions and zones are a short fixed list in practice.
const MAX_ACTIONS = 64;
const MAX_ZONES = 16;
const MAX_TYPES = 32;

/**
 * Creates the metrics on a registry of their own (never prom-client's global default).
 * `share`, when given, is handed the registry once and returns the renderer to use instead
 * of it alone: a worker of `leash serve --workers N` answers with every worker's sum.
 */
export function createLeashMetrics(
  share?: (registry: Registry) => () => Promise<{ contentType: string; body: string }>,
): LeashMetrics {
  const registry = new Registry();
  const render = share?.(registry);
  const m = defineMetrics(registry);
  const action = createLabelGuard(MAX_ACTIONS);
  const zone = createLabelGuard(MAX_ZONES);
  const type = createLabelGuard(MAX_TYPES);
  const count = (record: DecisionRecord, outcome: ObservedOutcome) => {
    const stage = type(record.type);
    if (!outcome.written) m.auditWriteFailures.inc({ type: stage });
    m.decisions.inc({
      type: stage,
      action: action(record.action),
      result: record.result,
      mode: record.mode ?? "none",
    });
    m.decisionSeconds.observe({ stage }, record.latency_ms / 1000);
    m.requestSeconds.observe({ stage }, outcome.totalMs / 1000);
    if (record.would_deny) m.wouldDeny.inc({ action: action(record.action) });
    if (record.type === "exchange") countExchange(m, record, zone);
    if (record.type === "revoke" && record.result === "allow")
      m.revocations.inc({ kind: String(record.resource?.["kind"] ?? "none") });
    countRefusal(m, record, stage);
    if (isDeployRecord(record)) countDeploy(m, record);
  };
  return {
    registry,
    observe(record, outcome) {
      try {
        count(record, outcome);
      } catch {
        // Metrics must never change a decision; a record they can't read is simply not counted.
      }
    },
    async render() {
      if (render) return render();
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

type Metrics = ReturnType<typeof defineMetrics>;

function defineMetrics(registry: Registry) {
  const registers = [registry];
  return {
    lifetime: new Histogram({
      name: "leash_capability_lifetime_seconds",
      help: "Lifetime (TTL) of each capability issued, by zone.",
      labelNames: ["zone"],
      buckets: LIFETIME_BUCKETS_S,
      registers,
    }),
    exchanges: new Counter({
      name: "leash_exchanges_total",
      help: "OIDC token exchanges, by requested zone and result.",
      labelNames: ["zone", "result"],
      registers,
    }),
    decisions: new Counter({
      name: "leash_decisions_total",
      help: "Decision records, by type, action, result and policy mode.",
      labelNames: ["type", "action", "result", "mode"],
      registers,
    }),
    decisionSeconds: new Histogram({
      name: "leash_decision_duration_seconds",
      help: "Time to decide (authentication, evidence, policy evaluation), by stage; before the record write.",
      labelNames: ["stage"],
      buckets: LATENCY_BUCKETS_S,
      registers,
    }),
    requestSeconds: new Histogram({
      name: "leash_request_duration_seconds",
      help: "Time to decide and durably record the decision, by stage.",
      labelNames: ["stage"],
      buckets: LATENCY_BUCKETS_S,
      registers,
    }),
    wouldDeny: new Counter({
      name: "leash_would_deny_total",
      help: "Decisions let through in observe mode that enforce mode would have denied, by action.",
      labelNames: ["action"],
      registers,
    }),
    replays: new Counter({
      name: "leash_replay_refusals_total",
      help: "Requests refused as replays, by what was replayed (oidc_token, dpop_proof).",
      labelNames: ["kind"],
      registers,
    }),
    revocations: new Counter({
      name: "leash_revocations_total",
      help: "Revocations issued, by kind (capability, run, repository, subject).",
      labelNames: ["kind"],
      registers,
    }),
    revokedRefusals: new Counter({
      name: "leash_revoked_capability_refusals_total",
      help: "Requests refused because their capability was revoked, by decision type.",
      labelNames: ["type"],
      registers,
    }),
    auditWriteFailures: new Counter({
      name: "leash_audit_write_failures_total",
      help: "Decision records that could not be written (each one refused its caller), by type.",
      labelNames: ["type"],
      registers,
    }),
    deploys: new Counter({
      name: "leash_deploys_total",
      help: "Deploy and admission decisions, by result and whether provenance was verified (true, false, unknown).",
      labelNames: ["result", "provenance_verified"],
      registers,
    }),
  };
}

function countExchange(m: Metrics, record: DecisionRecord, zone: (v: unknown) => string): void {
  const requested = record.detail?.["zone"] ?? record.resource?.["id"];
  m.exchanges.inc({ zone: zone(requested), result: record.result });
  const ttl = record.detail?.["ttl_seconds"];
  if (record.result === "allow" && typeof ttl === "number")
    m.lifetime.observe({ zone: zone(requested) }, ttl);
}

const REPLAY_CODES: Readonly<Record<string, string>> = {
  ERR_EXCHANGE_TOKEN_REPLAYED: "oidc_token",
  ERR_EXCHANGE_DPOP_REPLAYED: "dpop_proof",
};

function countRefusal(m: Metrics, record: DecisionRecord, type: string): void {
  if (record.code === undefined) return;
  const replay = REPLAY_CODES[record.code];
  if (replay) m.replays.inc({ kind: replay });
  if (record.code === "ERR_CAPABILITY_REVOKED") m.revokedRefusals.inc({ type });
}

function countDeploy(m: Metrics, record: DecisionRecord): void {
  const verified = readProvenanceVerified(record);
  m.deploys.inc({
    result: record.result,
    provenance_verified: verified === undefined ? "unknown" : String(verified),
  });
}
